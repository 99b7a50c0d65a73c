package dev.kiln.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.jobs.JobStatus;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The delivery rules of one SSE client, against a connection that writes only when told to. */
class SseSubscriptionTest {

  private static final UUID JOB = UUID.randomUUID();

  static StoredEvent event(long id, String type) {
    return event(id, type, "t1");
  }

  static StoredEvent event(long id, String type, String tenant) {
    JobStatus status = type.equals("job.succeeded") ? JobStatus.SUCCEEDED : JobStatus.RUNNING;
    return new StoredEvent(
        id,
        JOB,
        "synthetic",
        null,
        1,
        id,
        type,
        Instant.now(),
        "w1",
        UUID.randomUUID(),
        null,
        new StoredEvent.JobSnapshot(status, 1, 0, null),
        tenant);
  }

  private final FakeWire wire = new FakeWire();
  private final AtomicInteger closes = new AtomicInteger();

  private SseSubscription subscription(long lastEventId) {
    SseSubscription s =
        new SseSubscription(
            wire, e -> true, (e, sub) -> false, lastEventId, closes::incrementAndGet);
    s.open();
    return s;
  }

  @Test
  void liveEventsWaitForTheReplayThenFollowItWithoutGapOrDuplicate() {
    SseSubscription s = subscription(1);
    s.offer(new SseFrame(event(4, "stage.progress")));
    s.offer(new SseFrame(event(3, "stage.progress")));
    s.replay(event(2, "job.started"));
    s.replay(event(3, "stage.progress"));
    assertThat(wire.ids()).containsExactly(2L, 3L);

    s.goLive();
    s.offer(new SseFrame(event(5, "stage.progress")));
    s.offer(new SseFrame(event(5, "stage.progress")));

    assertThat(wire.ids()).containsExactly(2L, 3L, 4L, 5L);
  }

  @Test
  void aFrameIsSerialisedOnceAndTheSameBytesGoToEveryClient() {
    SseSubscription a = subscription(0);
    FakeWire otherWire = new FakeWire();
    SseSubscription b = new SseSubscription(otherWire, e -> true, (e, s) -> false, 0, () -> {});
    b.open();
    a.goLive();
    b.goLive();
    SseFrame frame = new SseFrame(event(7, "job.started"));

    a.offer(frame);
    b.offer(frame);

    assertThat(otherWire.frames.get(0)).isSameAs(wire.frames.get(0));
    assertThat(wire.text().get(0))
        .startsWith("id:7\nevent:job.started\ndata:{\"id\":7,")
        .endsWith("}\n\n");
  }

  @Test
  void aClientThatStopsReadingIsCutOffWithAReconnectHint() {
    SseSubscription s = subscription(0);
    s.goLive();
    for (long id = 1; id <= SseSubscription.MAX_PENDING_WRITES; id++) {
      s.offer(new SseFrame(event(id, "stage.progress")));
    }
    assertThat(wire.ended).isFalse();

    s.offer(new SseFrame(event(SseSubscription.MAX_PENDING_WRITES + 1, "stage.progress")));

    assertThat(wire.text().getLast()).contains("retry:" + SseSubscription.RECONNECT_MS);
    assertThat(wire.ended).isTrue();
    assertThat(closes.get()).isPositive();
    assertThat(s.isClosed()).isTrue();
  }

  @Test
  void aClientThatKeepsUpIsNeverCutOff() {
    SseSubscription s = subscription(0);
    s.goLive();
    for (long id = 1; id <= 3L * SseSubscription.MAX_PENDING_WRITES; id++) {
      s.offer(new SseFrame(event(id, "stage.progress")));
      wire.completeAll();
    }
    assertThat(wire.ended).isFalse();
    assertThat(wire.ids()).hasSize(3 * SseSubscription.MAX_PENDING_WRITES);
  }

  @Test
  void aFailedWriteUnsubscribesAndLaterEventsAreDropped() {
    SseSubscription s = subscription(0);
    s.goLive();
    s.offer(new SseFrame(event(1, "job.started")));
    wire.pending.get(0).handle(Future.failedFuture("connection reset"));

    s.offer(new SseFrame(event(2, "job.succeeded")));

    assertThat(closes.get()).isEqualTo(1);
    assertThat(wire.ids()).containsExactly(1L);
    assertThat(s.isClosed()).isTrue();
  }

  @Test
  void keepAlivesGoOnlyToLiveStreamsAndShareOneBuffer() {
    SseSubscription s = subscription(0);
    s.comment(SseFrame.KEEP_ALIVE);
    assertThat(wire.frames).isEmpty();

    s.goLive();
    s.comment(SseFrame.KEEP_ALIVE);

    assertThat(wire.frames).containsExactly(SseFrame.KEEP_ALIVE);
  }

  @Test
  void theEndRuleEndsTheStreamAfterTheEventThatCompletesIt() {
    SseSubscription s =
        new SseSubscription(
            wire, e -> true, (e, sub) -> e.terminalType(), 0, closes::incrementAndGet);
    s.open();
    s.goLive();
    s.offer(new SseFrame(event(1, "job.started")));
    s.offer(new SseFrame(event(2, "job.succeeded")));
    s.offer(new SseFrame(event(3, "stage.progress")));

    assertThat(wire.ids()).containsExactly(1L, 2L);
    assertThat(wire.ended).isTrue();
    assertThat(closes.get()).isEqualTo(1);
  }
}
