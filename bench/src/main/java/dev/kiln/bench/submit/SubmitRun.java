package dev.kiln.bench.submit;

import dev.kiln.bench.stats.Latencies;
import java.util.Locale;

/**
 * What one submit load did.
 *
 * @param due requests the load meant to send
 * @param accepted requests answered 202
 * @param failed requests answered otherwise or not at all
 * @param firstError the first failure's text, or null
 * @param latency time to the 202 of the accepted requests
 * @param seconds from the first request's start to the last answer
 * @param maxLagMillis open loop only: the most a request left after its due time (0 closed loop)
 */
record SubmitRun(
    long due,
    long accepted,
    long failed,
    String firstError,
    Latencies.Summary latency,
    double seconds,
    double maxLagMillis) {

  double acceptedPerSecond() {
    return seconds > 0 ? accepted / seconds : Double.NaN;
  }

  String failures() {
    return failed == 0
        ? "no failures"
        : String.format(Locale.ROOT, "%,d failed (first: %s)", failed, firstError);
  }
}
