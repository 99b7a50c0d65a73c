package dev.kiln.worker.pipeline;

import java.time.Duration;

/**
 * Decides which progress reports of one job become events: at most one per interval across all its
 * stages, so a pipeline of many short stages stays within the same budget as one long stage. The
 * first report of the job always passes, and a stage that keeps reporting gets one through every
 * interval, so its progress keeps moving.
 */
final class ProgressThrottle {

  private final long intervalNanos;
  private boolean emitted;
  private long lastEmitNanos;

  ProgressThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /** Whether a report at {@code nowNanos} (from {@link System#nanoTime()}) is sent. */
  boolean tryAcquire(long nowNanos) {
    if (!emitted || nowNanos - lastEmitNanos >= intervalNanos) {
      emitted = true;
      lastEmitNanos = nowNanos;
      return true;
    }
    return false;
  }
}
