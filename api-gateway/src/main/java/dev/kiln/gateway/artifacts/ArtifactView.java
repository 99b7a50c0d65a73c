package dev.kiln.gateway.artifacts;

import java.time.Instant;

/**
 * An artifact as clients see it.
 *
 * @param name unique within the job
 * @param size bytes
 * @param contentType media type
 * @param sha256 hex digest to verify the download against
 * @param createdAt when the worker reported it
 * @param url presigned download URL, only in the artifact list
 * @param expiresAt when {@code url} stops working
 */
public record ArtifactView(
    String name,
    long size,
    String contentType,
    String sha256,
    Instant createdAt,
    String url,
    Instant expiresAt) {

  public static ArtifactView of(JobArtifact a) {
    return new ArtifactView(a.name, a.size, a.contentType, a.sha256, a.createdAt, null, null);
  }
}
