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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConfirmedEventSinkTest {

  private record Publish(String routingKey, String eventId, CompletableFuture<Void> confirm) {}

  private final List<Publish> published = new CopyOnWriteArrayList<>();
  // why: like EventPublisher, a channel that is closed or recovering takes nothing and says so
  private final AtomicBoolean channelUp = new AtomicBoolean(true);
  private final ConfirmedEventSink.EventChannel channel =
      (routingKey, eventId, body) -> {
        if (!channelUp.get()) {
          return CompletableFuture.failedFuture(new IOException("event channel is not open"));
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        published.add(new Publish(routingKey, eventId, f));
        return f;
      };
  private final ConfirmedEventSink sink = new ConfirmedEventSink(channel, Duration.ofSeconds(5));

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
  void emitDoesNotWaitForConfirms() {
    long t0 = System.nanoTime();
    sink.emit(event(1, new EventPayload.JobStarted("synthetic", List.of(), 1)));
    sink.emit(event(2, new EventPayload.StageStarted("a", 0)));
    sink.emit(event(3, new EventPayload.JobSucceeded(5)));

    assertThat(published).hasSize(3).allSatisfy(p -> assertThat(p.confirm()).isNotDone());
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
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
  void eventLostInAQuickChannelRecoveryIsRepublishedBeforeTheNextEvent() throws Exception {
    JobEvent started = event(1, new EventPayload.JobStarted("synthetic", List.of("a"), 1));
    sink.emit(started);
    // the channel closed and recovered before the next emit: the confirm is lost
    published.getFirst().confirm().completeExceptionally(new IOException("channel closed"));

    sink.emit(event(2, new EventPayload.StageStarted("a", 0)));
    sink.emit(event(3, new EventPayload.JobSucceeded(5)));

    assertThat(published)
        .extracting(Publish::routingKey)
        .containsExactly("job.started", "job.started", "stage.started", "job.succeeded");
    assertThat(published.get(1).eventId()).isEqualTo(started.eventId().toString());
    confirmAllOutstanding();
    assertThat(sink.awaitConfirmed(Duration.ofSeconds(1))).isTrue();
    assertThat(published).as("nothing republished at the end").hasSize(4);
  }

  @Test
  void emitDuringAnOutageWaitsForTheChannelAndKeepsSeqOrder() throws Exception {
    sink.emit(event(1, new EventPayload.JobStarted("synthetic", List.of("a"), 1)));
    channelUp.set(false);
    published.getFirst().confirm().completeExceptionally(new IOException("channel closed"));
    Thread recovery =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    Thread.sleep(300);
                  } catch (InterruptedException e) {
                    return;
                  }
                  channelUp.set(true);
                });

    long t0 = System.nanoTime();
    sink.emit(event(2, new EventPayload.StageStarted("a", 0)));
    Duration blocked = Duration.ofNanos(System.nanoTime() - t0);
    recovery.join();
    sink.emit(event(3, new EventPayload.JobSucceeded(5)));

    assertThat(blocked).as("emit waited for the channel").isGreaterThan(Duration.ofMillis(200));
    assertThat(published)
        .extracting(Publish::routingKey)
        .containsExactly("job.started", "job.started", "stage.started", "job.succeeded");
    confirmAllOutstanding();
    assertThat(sink.awaitConfirmed(Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void nackedEventIsRepublishedBeforeTheNextEvent() throws Exception {
    sink.emit(event(1, new EventPayload.JobStarted("synthetic", List.of("a"), 1)));
    sink.emit(event(2, new EventPayload.StageStarted("a", 0)));
    sink.emit(event(3, new EventPayload.StageProgress("a", 0, 50, null)));
    published.get(0).confirm().complete(null);
    published.get(1).confirm().completeExceptionally(new IOException("broker nacked the event"));

    sink.emit(event(4, new EventPayload.StageCompleted("a", 0, 10)));

    assertThat(published)
        .extracting(Publish::routingKey)
        .containsExactly(
            "job.started", "stage.started", "stage.progress", "stage.started", "stage.completed");
    confirmAllOutstanding();
    assertThat(sink.awaitConfirmed(Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void outageLongerThanTheConfirmTimeoutGivesUpWithoutPublishingOutOfOrder() throws Exception {
    ConfirmedEventSink shortSink = new ConfirmedEventSink(channel, Duration.ofMillis(300));
    shortSink.emit(event(1, new EventPayload.JobStarted("synthetic", List.of("a"), 1)));
    channelUp.set(false);
    published.getFirst().confirm().completeExceptionally(new IOException("channel closed"));

    long t0 = System.nanoTime();
    shortSink.emit(event(2, new EventPayload.StageStarted("a", 0)));
    Duration blocked = Duration.ofNanos(System.nanoTime() - t0);
    channelUp.set(true);
    shortSink.emit(event(3, new EventPayload.JobSucceeded(5)));

    assertThat(blocked).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    assertThat(shortSink.awaitConfirmed(Duration.ofSeconds(1)))
        .as("the run could not report; its message goes back to the queue")
        .isFalse();
    assertThat(published)
        .as("a run that gave up publishes nothing more: no terminal event ahead of a lost one")
        .extracting(Publish::routingKey)
        .containsExactly("job.started");
  }

  @Test
  void missingConfirmWithinTheTimeoutRefusesTheAck() throws Exception {
    sink.emit(event(1, new EventPayload.JobSucceeded(5)));

    assertThat(sink.awaitConfirmed(Duration.ofMillis(200))).isFalse();
  }

  private void confirmAllOutstanding() {
    published.forEach(p -> p.confirm().complete(null));
  }

  private static final UUID JOB = UUID.randomUUID();

  /** A channel like EventPublisher's, which takes held events as one batch. */
  private final List<String> batches = new CopyOnWriteArrayList<>();

  private final ConfirmedEventSink.EventChannel batchingChannel =
      new ConfirmedEventSink.EventChannel() {
        @Override
        public CompletableFuture<Void> publishEvent(
            String routingKey, String eventId, byte[] body) {
          return channel.publishEvent(routingKey, eventId, body);
        }

        @Override
        public CompletableFuture<Void> publishBatch(
            String routingKey, String messageId, byte[] body) {
          if (!channelUp.get()) {
            return CompletableFuture.failedFuture(new IOException("event channel is not open"));
          }
          batches.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
          CompletableFuture<Void> f = new CompletableFuture<>();
          published.add(new Publish(routingKey, messageId, f));
          return f;
        }

        @Override
        public boolean takesBatches() {
          return true;
        }
      };

  @Test
  void heldEventsGoOutAsOneBatchInSeqOrderWhenFlushed() throws Exception {
    ConfirmedEventSink batching = new ConfirmedEventSink(batchingChannel, Duration.ofSeconds(5));
    JobEvent started = event(1, new EventPayload.JobStarted("synthetic", List.of("a"), 1));
    JobEvent stage = event(2, new EventPayload.StageStarted("a", 0));
    batching.hold();
    batching.emit(started);
    batching.emit(stage);

    assertThat(published).isEmpty();
    batching.flush();

    assertThat(published).singleElement().extracting(Publish::routingKey).isEqualTo("job.started");
    dev.kiln.model.events.JobEventBatch batch =
        dev.kiln.model.json.KilnJson.mapper()
            .readValue(batches.getFirst(), dev.kiln.model.events.JobEventBatch.class);
    assertThat(batch.events()).containsExactly(started, stage);
    // after a flush, events go out one by one again
    batching.emit(event(3, new EventPayload.StageProgress("a", 0, 50, null)));
    assertThat(published).hasSize(2);
    published.forEach(p -> p.confirm().complete(null));
    assertThat(batching.awaitConfirmed(Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void heldEventsArePublishedByAwaitConfirmedAndABatchNotTakenIsRetriedWhole() throws Exception {
    ConfirmedEventSink batching =
        new ConfirmedEventSink(
            batchingChannel, Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMillis(20));
    batching.hold();
    batching.emit(event(1, new EventPayload.JobStarted("synthetic", List.of(), 1)));
    batching.emit(event(2, new EventPayload.JobSucceeded(1)));
    channelUp.set(false);
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                return;
              }
              channelUp.set(true);
            });
    Thread confirmer =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (published.isEmpty()) {
                    Thread.onSpinWait();
                  }
                  published.getFirst().confirm().complete(null);
                });

    assertThat(batching.awaitConfirmed(Duration.ofSeconds(2))).isTrue();
    confirmer.join();
    assertThat(batches).hasSize(1);
    assertThat(batches.getFirst()).contains("job.started").contains("job.succeeded");
  }

  private static JobEvent event(long seq, EventPayload payload) {
    return new JobEvent(
        JobEvent.VERSION, UUID.randomUUID(), JOB, 1, seq, Instant.now(), "w", payload);
  }
}
