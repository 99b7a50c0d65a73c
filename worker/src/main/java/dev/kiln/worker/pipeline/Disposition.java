package dev.kiln.worker.pipeline;

/** What happens to the job message once the run's events are confirmed. */
public enum Disposition {
  /** Remove it: the attempt ended (or a retry is scheduled in a delay queue). */
  ACK,
  /**
   * Reject it without requeueing, so the work queue dead-letters it to {@code kiln.dead-letters}:
   * the last attempt failed retryably.
   */
  DEAD_LETTER,
  /** Give it back to the queue: the attempt did not end here. */
  REQUEUE
}
