package dev.kiln.worker.pipeline;

import java.util.Locale;

/** How a run ended. */
public enum RunOutcome {
  /** {@code job.succeeded}. */
  SUCCEEDED,
  /** {@code job.failed}: not retryable, or the last attempt. */
  FAILED,
  /** {@code job.cancelled}. */
  CANCELLED,
  /** {@code job.retrying}: the next attempt waits in a delay queue. */
  RETRYING,
  /** The attempt had already ended ({@code done.json}): nothing ran, nothing was emitted. */
  DUPLICATE,
  /**
   * The run stopped without ending the attempt (its message went back to the broker, or the retry
   * could not be scheduled); a later delivery resumes it.
   */
  ABANDONED;

  /** Lowercase name, used as a metrics label and in {@code done.json}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the attempt ended with a terminal event. */
  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
