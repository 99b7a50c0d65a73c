package dev.kiln.worker.pipeline;

import java.util.UUID;
import java.util.regex.Pattern;

/** Artifact names and object keys. */
public final class ArtifactNames {

  // why: names end up in object keys and in download file names; a plain file name cannot escape
  // the job's prefix or smuggle path or header syntax.
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ArtifactNames() {}

  public static boolean isSafe(String name) {
    return name != null && SAFE.matcher(name).matches() && !name.contains("..");
  }

  /**
   * @throws IllegalArgumentException when the name is not a plain safe file name
   */
  public static String requireSafe(String name) {
    if (!isSafe(name)) {
      throw new IllegalArgumentException(
          "artifact name must match " + SAFE.pattern() + " without '..', got '" + name + "'");
    }
    return name;
  }

  public static String prefix(UUID jobId) {
    return "artifacts/" + jobId + "/";
  }

  public static String objectKey(UUID jobId, String name) {
    return prefix(jobId) + requireSafe(name);
  }
}
