package dev.kiln.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One gauge per value of a single label, for label values fixed when the family is made (job types
 * from the catalog, queue names from the topology), so the number of series is bounded by the code,
 * never by what clients send. A collector sets the values; scrapes only read them.
 *
 * <p>A value that could not be read is NaN: Prometheus then has no number for that moment, which a
 * dashboard shows as a gap and an alert threshold never matches, rather than a misleading 0.
 */
final class GaugeFamily {

  private final List<String> labelValues;
  private final Map<String, Double> values = new ConcurrentHashMap<>();

  GaugeFamily(
      MeterRegistry registry,
      String name,
      String description,
      String label,
      Collection<String> labelValues) {
    this.labelValues = List.copyOf(labelValues);
    for (String value : this.labelValues) {
      values.put(value, Double.NaN);
      Gauge.builder(name, values, v -> v.getOrDefault(value, Double.NaN))
          .description(description)
          .tag(label, value)
          .strongReference(true)
          .register(registry);
    }
  }

  /**
   * Takes a fresh reading: label values missing from {@code read} are 0 (a group-by query returns
   * no row for a type without jobs), values for unknown labels are ignored (bounded series).
   */
  void set(Map<String, ? extends Number> read) {
    for (String value : labelValues) {
      Number n = read.get(value);
      values.put(value, n == null ? 0.0 : n.doubleValue());
    }
  }

  /** The source could not be read: every series shows no number until the next reading. */
  void unknown() {
    labelValues.forEach(value -> values.put(value, Double.NaN));
  }
}
