package dev.kiln.bench.stats;

import java.util.Arrays;

/** Latency samples in nanoseconds, recorded from many threads, summarised in milliseconds. */
public final class Latencies {

  private long[] samples = new long[1024];
  private int size;

  /**
   * @param count samples recorded
   * @param p50 median in ms (NaN without samples)
   * @param p99 99th percentile in ms
   * @param max largest sample in ms
   */
  public record Summary(int count, double p50, double p99, double max) {}

  public synchronized void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  public synchronized int count() {
    return size;
  }

  public Summary summary() {
    long[] sorted;
    synchronized (this) {
      sorted = Arrays.copyOf(samples, size);
    }
    Arrays.sort(sorted);
    double ms = 1e6;
    return new Summary(
        sorted.length,
        Percentiles.ofSorted(sorted, 0.50) / ms,
        Percentiles.ofSorted(sorted, 0.99) / ms,
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / ms);
  }
}
