package dev.kiln.model.metrics;

import java.time.Duration;
import java.util.Arrays;

/**
 * The bucket bounds of Kiln's latency histograms, one ladder shared by the gateway and the workers.
 *
 * <p>why fixed buckets: a full percentile histogram publishes about 70 buckets per series, times
 * every label combination; a dozen rungs cover what the dashboards and alerts read. why one ladder:
 * histograms of different components line up in Grafana (the same {@code le} values), and a rung
 * added here is added everywhere it is in range.
 */
public final class LatencyBuckets {

  /** Every rung, ascending. */
  static final Duration[] LADDER = {
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15)
  };

  private LatencyBuckets() {}

  /** The rungs from {@code lowest} to {@code highest}, both included; each must be a rung. */
  public static Duration[] between(Duration lowest, Duration highest) {
    int from = Arrays.asList(LADDER).indexOf(lowest);
    int to = Arrays.asList(LADDER).indexOf(highest);
    if (from < 0 || to < 0 || from > to) {
      throw new IllegalArgumentException(
          "not rungs of the ladder in order: " + lowest + ", " + highest);
    }
    return Arrays.copyOfRange(LADDER, from, to + 1);
  }
}
