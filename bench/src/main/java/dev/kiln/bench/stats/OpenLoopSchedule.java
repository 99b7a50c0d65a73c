package dev.kiln.bench.stats;

import java.util.concurrent.locks.LockSupport;

/**
 * When each request of an open-loop load is due: request i at start + i / rate, whatever happened
 * to the requests before it.
 *
 * <p>why: latency is measured from the due time, not from when the request actually left; a
 * generator that waits for slow answers (or falls behind) would otherwise hide exactly the delays
 * it should report (coordinated omission).
 *
 * @param startNanos System.nanoTime() of request 0
 * @param perSecond requests a second
 */
public record OpenLoopSchedule(long startNanos, double perSecond) {

  public OpenLoopSchedule {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive: " + perSecond);
    }
  }

  /** How many requests a run of {@code seconds} sends: the due times inside [0, seconds). */
  public long count(double seconds) {
    return (long) Math.ceil(seconds * perSecond - 1e-9);
  }

  /** Parks the calling thread until request {@code i} is due (at once when it already is). */
  public void awaitDue(long i) {
    for (long wait = dueNanos(i) - System.nanoTime();
        wait > 0;
        wait = dueNanos(i) - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }

  /** The due time of request {@code i}, computed from the start so rounding never accumulates. */
  public long dueNanos(long i) {
    return startNanos + Math.round(i * 1e9 / perSecond);
  }
}
