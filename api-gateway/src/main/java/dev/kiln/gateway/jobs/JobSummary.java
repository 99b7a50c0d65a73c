package dev.kiln.gateway.jobs;

import java.time.Instant;
import java.util.UUID;

/** A job in a list: status and progress without params, stages or artifacts. */
public record JobSummary(
    UUID id,
    String type,
    JobStatus status,
    int attempt,
    UUID batchId,
    int progress,
    String currentStage,
    String errorCode,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    JobLinks links) {

  static JobSummary of(Job job) {
    return new JobSummary(
        job.id,
        job.type,
        job.status,
        job.attempt,
        job.batchId,
        job.progress,
        job.currentStage,
        job.errorCode,
        job.createdAt,
        job.startedAt,
        job.finishedAt,
        JobLinks.of(job.id));
  }
}
