package dev.kiln.worker.pipeline;

import java.time.Duration;

/**
 * Decides which progress reports become events: at most one per interval, but never the first of a
 * stage (a client must see a stage move as soon as it reports anything).
 */
final class ProgressThrottle {

  private final long intervalNanos;
  private boolean emittedInStage;
  private long lastEmitNanos;

  ProgressThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  void newStage() {
    emittedInStage = false;
  }

  /** Whether a report at {@code nowNanos} (from {@link System#nanoTime()}) is sent. */
  boolean tryAcquire(long nowNanos) {
    if (!emittedInStage || nowNanos - lastEmitNanos >= intervalNanos) {
      emittedInStage = true;
      lastEmitNanos = nowNanos;
      return true;
    }
    return false;
  }
}
