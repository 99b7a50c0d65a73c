package dev.kiln.bench.sse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's {@code kiln_event_relay_lag_seconds} histogram (occurredAt to the SSE hub of the
 * measured replica), read before and after a run. why: it splits the relay latency into the way to
 * the hub (broker, store, commit, relay) and the SSE fan-out after it.
 */
final class HubLag {

  private static final String NAME = "kiln_event_relay_lag_seconds_bucket{le=\"";

  private HubLag() {}

  /** Cumulative counts by bucket upper bound, in seconds. */
  static Map<Double, Double> read(String gateway) {
    Map<Double, Double> buckets = new TreeMap<>();
    try (HttpClient http = HttpClient.newHttpClient()) {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(gateway + "/q/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String line : body.split("\n")) {
        if (line.startsWith(NAME)) {
          String le = line.substring(NAME.length(), line.indexOf('"', NAME.length()));
          double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
          buckets.put(bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        }
      }
    } catch (Exception e) {
      System.err.println("cannot read the relay lag histogram: " + e);
    }
    return buckets;
  }

  /** The share of events that reached the hub within each bucket during the run, as text. */
  static String between(Map<Double, Double> before, Map<Double, Double> after) {
    double total =
        after.getOrDefault(Double.POSITIVE_INFINITY, 0.0)
            - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    if (total <= 0) {
      return "no relayed events counted";
    }
    StringBuilder out = new StringBuilder("reached the hub within:");
    for (var e : after.entrySet()) {
      if (e.getKey().isInfinite() || e.getKey() > 1) {
        continue;
      }
      double n = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
      out.append(String.format(" %.0f ms %.1f%%", e.getKey() * 1000, 100 * n / total));
    }
    return out.append(String.format(" (%,.0f events)", total)).toString();
  }
}
