package dev.kiln.gateway.jobs;

import java.time.Instant;
import java.util.UUID;

/** The 202 answer to a submission: enough to follow the job at once. */
public record JobAccepted(
    UUID id, String type, JobStatus status, UUID batchId, Instant createdAt, JobLinks links) {

  static JobAccepted of(Job job) {
    return new JobAccepted(
        job.id, job.type, job.status, job.batchId, job.createdAt, JobLinks.of(job.id));
  }
}
