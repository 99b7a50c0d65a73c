package dev.kiln.worker.pipeline;

import dev.kiln.model.events.JobEvent;

/**
 * {@code work/{jobId}/{attempt}/ending.json}: how an attempt is ending, written before its last
 * event is published. A run that finds it (its predecessor died before the attempt was marked done)
 * finishes that very ending, with the same event id, instead of running the job again, so the
 * gateway sees one ending however often the message is delivered.
 *
 * @param v format version, {@link #VERSION}
 * @param outcome how the attempt ends
 * @param disposition what happens to the message
 * @param event the last event of the attempt (terminal, or {@code job.retrying})
 * @param nextAttempt for a retry: the attempt to schedule, else null
 * @param retryDelayMillis for a retry: its delay, else null
 */
record AttemptEnding(
    int v,
    RunOutcome outcome,
    Disposition disposition,
    JobEvent event,
    Integer nextAttempt,
    Long retryDelayMillis) {

  static final int VERSION = 1;

  boolean schedulesRetry() {
    return nextAttempt != null && retryDelayMillis != null;
  }
}
