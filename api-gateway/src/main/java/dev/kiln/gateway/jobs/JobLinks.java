package dev.kiln.gateway.jobs;

import java.util.UUID;

/**
 * Where to go next from a job; paths relative to the gateway root.
 *
 * @param thumbnail download path of the job's thumbnail artifact (its type's {@code thumbnail}),
 *     null until the job has one
 */
public record JobLinks(
    String self, String events, String artifacts, String cancel, String retry, String thumbnail) {

  public static JobLinks of(UUID id) {
    return of(id, null);
  }

  /**
   * @param thumbnailArtifact name of an existing artifact to link as the thumbnail, or null
   */
  public static JobLinks of(UUID id, String thumbnailArtifact) {
    String self = "/api/v1/jobs/" + id;
    return new JobLinks(
        self,
        self + "/events",
        self + "/artifacts",
        self + "/cancel",
        self + "/retry",
        thumbnailArtifact == null ? null : self + "/artifacts/" + thumbnailArtifact);
  }
}
