package dev.kiln.bench.stats;

import java.util.Arrays;

/** Nearest-rank percentiles: the reported p99 is a latency that some request really had. */
public final class Percentiles {

  private Percentiles() {}

  /**
   * @param values samples in any order (not changed)
   * @param p the fraction, 0 < p ≤ 1, e.g. 0.99
   * @return the smallest sample with at least p of all samples at or below it; NaN when empty
   */
  public static double of(long[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return ofSorted(sorted, p);
  }

  /** Like {@link #of} for samples already in ascending order. */
  public static double ofSorted(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("percentile fraction out of (0, 1]: " + p);
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
