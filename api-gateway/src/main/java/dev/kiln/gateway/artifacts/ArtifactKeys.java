package dev.kiln.gateway.artifacts;

import dev.kiln.model.events.EventPayload.ArtifactCreated;
import java.util.UUID;
import java.util.regex.Pattern;

/** Where a job's artifacts live: {@code artifacts/{jobId}/{name}}, and nowhere else. */
public final class ArtifactKeys {

  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ArtifactKeys() {}

  public static String of(UUID jobId, String name) {
    return "artifacts/" + jobId + "/" + name;
  }

  /** The folder of all of a job's artifacts. */
  public static String prefix(UUID jobId) {
    return "artifacts/" + jobId + "/";
  }

  /**
   * Whether {@code name} can be an artifact's name: one path segment of letters, digits, '.', '_'
   * and '-', no "..", at most 128 characters. Nothing else is ever stored, so nothing else needs a
   * lookup.
   */
  public static boolean isSafeName(String name) {
    return name != null && SAFE_NAME.matcher(name).matches() && !name.contains("..");
  }

  /** True when the event names a safe artifact of this job under this job's prefix. */
  public static boolean belongsTo(UUID jobId, ArtifactCreated artifact) {
    return isSafeName(artifact.name()) && of(jobId, artifact.name()).equals(artifact.objectKey());
  }
}
