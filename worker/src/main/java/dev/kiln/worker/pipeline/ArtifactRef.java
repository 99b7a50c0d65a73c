package dev.kiln.worker.pipeline;

/**
 * An artifact stored for a job, as announced by {@code artifact.created}.
 *
 * @param name file name, unique within the job
 * @param objectKey {@code artifacts/{jobId}/{name}}
 * @param size bytes
 * @param contentType media type
 * @param sha256 lowercase hex digest
 */
public record ArtifactRef(
    String name, String objectKey, long size, String contentType, String sha256) {}
