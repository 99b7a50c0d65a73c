package dev.kiln.worker.pipeline;

import dev.kiln.model.messages.JobMessage;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One run of a job on this worker: one delivery of one attempt.
 *
 * @param job the work order
 * @param workerId event source
 * @param freeSlots jobs the worker could still take, reported in {@code job.started}
 * @param cancelRequested polled by progress checks; true once the attempt was cancelled
 * @param run the id every event of this run carries
 * @param abandoned polled by progress checks; true once this worker no longer holds the message
 *     (its channel closed, so the broker hands it to another run) or is shutting down past its
 *     grace period. An abandoned run stops without any further event and keeps its checkpoint.
 * @param redelivered the broker delivered this attempt's message before: an earlier run may have
 *     died with its worker, which the run records and counts (see {@link PipelineRunner})
 */
public record RunRequest(
    JobMessage job,
    String workerId,
    int freeSlots,
    BooleanSupplier cancelRequested,
    UUID run,
    BooleanSupplier abandoned,
    boolean redelivered) {

  /** A first delivery. */
  public RunRequest(
      JobMessage job,
      String workerId,
      int freeSlots,
      BooleanSupplier cancelRequested,
      UUID run,
      BooleanSupplier abandoned) {
    this(job, workerId, freeSlots, cancelRequested, run, abandoned, false);
  }

  /** A run with a fresh id that is never abandoned. */
  public RunRequest(
      JobMessage job, String workerId, int freeSlots, BooleanSupplier cancelRequested) {
    this(job, workerId, freeSlots, cancelRequested, UUID.randomUUID(), () -> false);
  }
}
