package dev.kiln.worker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ConfirmedEventSinkTest {

  private record Publish(String routingKey, String eventId, CompletableFuture<Void> confirm) {}

  private final List<Publish> published = new CopyOnWriteArrayList<>();
  private final ConfirmedEventSink sink =
      new ConfirmedEventSink(
          (routingKey, eventId, body) -> {
            CompletableFuture<Void> f = new CompletableFuture<>();
            published.add(new Publish(routingKey, eventId, f));
            return f;
          });

  @Test
  void confirmedEventsAllowTheAck() throws Exception {
    sink.emit(event(1, new EventPayload.JobStarted("synthetic", List.of(), 1)));
    sink.emit(event(2, new EventPayload.JobSucceeded(5)));
    published.forEach(p -> p.confirm().complete(null));

    assertThat(sink.awaitConfirmed(Duration.ofSeconds(1))).isTrue();
    assertThat(published)
        .extracting(Publish::routingKey)
        .containsExactly("job.started", "job.succeeded");
  }

  @Test
  void lostEventIsRepublishedWithTheSameEventId() throws Exception {
    JobEvent terminal = event(1, new EventPayload.JobSucceeded(5));
    sink.emit(terminal);
    published.getFirst().confirm().completeExceptionally(new IOException("channel closed"));

    Thread confirmer =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (published.size() < 2) {
                    Thread.onSpinWait();
                  }
                  published.get(1).confirm().complete(null);
                });
    boolean confirmed = sink.awaitConfirmed(Duration.ofSeconds(5));
    confirmer.join();

    assertThat(confirmed).isTrue();
    assertThat(published).hasSize(2);
    assertThat(published.get(1).eventId()).isEqualTo(terminal.eventId().toString());
  }

  @Test
  void missingConfirmWithinTheTimeoutRefusesTheAck() throws Exception {
    sink.emit(event(1, new EventPayload.JobSucceeded(5)));

    assertThat(sink.awaitConfirmed(Duration.ofMillis(200))).isFalse();
  }

  private static final UUID JOB = UUID.randomUUID();

  private static JobEvent event(long seq, EventPayload payload) {
    return new JobEvent(
        JobEvent.VERSION, UUID.randomUUID(), JOB, 1, seq, Instant.now(), "w", payload);
  }
}
