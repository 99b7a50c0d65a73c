package dev.kiln.systemtest;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the last lines of every running gateway's and worker's log when a test fails, so a CI log
 * shows what the processes under test did without downloading target/processes.
 */
public final class ProcessLogsOnFailure implements TestWatcher {

  /** Log tails of processes started outside {@link KilnCluster} (e.g. by the fault suite). */
  private static final Set<Supplier<String>> OTHER_LOGS = ConcurrentHashMap.newKeySet();

  /** Adds a source of log tails printed when a test fails; remove it when its processes stop. */
  public static void register(Supplier<String> logTails) {
    OTHER_LOGS.add(logTails);
  }

  public static void unregister(Supplier<String> logTails) {
    OTHER_LOGS.remove(logTails);
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (Supplier<String> logs : OTHER_LOGS) {
      System.err.println(
          "\n##### "
              + context.getDisplayName()
              + " failed\n##### process logs (full logs in system-tests/target/processes/)"
              + logs.get());
    }
    for (KilnCluster cluster : KilnCluster.open()) {
      System.err.println(
          "\n##### "
              + context.getDisplayName()
              + " failed: "
              + cause
              + "\n##### process logs (full logs in system-tests/target/processes/)"
              + cluster.logTails());
    }
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    // nothing to report
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    // nothing to report
  }
}
