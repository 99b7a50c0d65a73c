package dev.kiln.gateway.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** A gauge without labels whose value a collector sets; NaN until the first reading. */
final class SingleGauge {

  private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));

  SingleGauge(MeterRegistry registry, String name, String description) {
    Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  void set(double value) {
    bits.set(Double.doubleToLongBits(value));
  }

  void unknown() {
    set(Double.NaN);
  }
}
