package dev.kiln.bench.sse;

import java.util.concurrent.atomic.AtomicLongArray;

/** Latencies in 100 µs buckets up to 30 s; recorded from several threads without locks. */
final class LatencyHistogram {

  private static final int BUCKET_MICROS = 100;
  private final AtomicLongArray buckets = new AtomicLongArray(300_000);

  void record(long micros) {
    int bucket = (int) Math.min(Math.max(micros, 0) / BUCKET_MICROS, buckets.length() - 1);
    buckets.incrementAndGet(bucket);
  }

  long count() {
    long n = 0;
    for (int i = 0; i < buckets.length(); i++) {
      n += buckets.get(i);
    }
    return n;
  }

  /** The upper edge of the bucket holding the given quantile, in milliseconds. */
  double quantileMs(double q) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < buckets.length(); i++) {
      seen += buckets.get(i);
      if (seen >= rank) {
        return (i + 1) * BUCKET_MICROS / 1000.0;
      }
    }
    return Double.NaN;
  }
}
