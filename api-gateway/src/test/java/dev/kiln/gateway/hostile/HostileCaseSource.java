package dev.kiln.gateway.hostile;

import java.util.List;

/**
 * Contributes cases to {@link HostileInputTest}. Sources are found with {@link
 * java.util.ServiceLoader}: to add cases (say, for API keys, tenants or URL checks), implement this
 * and list the class in {@code
 * src/test/resources/META-INF/services/dev.kiln.gateway.hostile.HostileCaseSource}. Every case must
 * store nothing: the suite checks that after running them all.
 */
public interface HostileCaseSource {

  /**
   * @param fixtures what exists before the cases run (ids to aim at)
   */
  List<HostileCase> cases(HostileFixtures fixtures);
}
