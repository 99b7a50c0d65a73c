package dev.kiln.gateway.events;

import dev.kiln.model.metrics.LatencyBuckets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code kiln_event_relay_lag_seconds}: for every relayed event this replica hands to its SSE
 * clients, the time from the event's {@code occurredAt} (set by its emitter, a worker or a gateway)
 * to now. It covers the whole way a live event takes: the events exchange, the event-store queue,
 * the store's commit, the relay fan-out and this replica's queue.
 *
 * <p>A histogram rather than a gauge of the last value, so that dashboards and alerts can ask for
 * the 95th percentile over any window and across replicas. Clocks of different machines differ a
 * little; an event that seems to come from the future counts as no lag at all.
 */
@Startup
@ApplicationScoped
public class RelayLag {

  @Inject MeterRegistry registry;

  private Timer timer;

  @PostConstruct
  void register() {
    timer =
        Timer.builder("kiln_event_relay_lag_seconds")
            .description("Time from an event's occurredAt to its relay to this replica's SSE hub")
            // why fixed buckets: the interesting range is 10 ms to a minute; a full percentile
            // histogram would publish ~70 buckets for it
            .serviceLevelObjectives(
                LatencyBuckets.between(Duration.ofMillis(10), Duration.ofSeconds(60)))
            .register(registry);
  }

  /** Records the lag of each event of a relay batch as it reaches this replica. */
  public void relayed(List<StoredEvent> events) {
    Instant now = Instant.now();
    for (StoredEvent event : events) {
      if (event.occurredAt() != null) {
        Duration lag = Duration.between(event.occurredAt(), now);
        timer.record(lag.isNegative() ? Duration.ZERO : lag);
      }
    }
  }
}
