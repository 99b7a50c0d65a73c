package dev.kiln.worker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ConfirmTrackerTest {

  private final ConfirmTracker tracker = new ConfirmTracker();

  @Test
  void multipleAckConfirmsEverySequenceNumberUpToTheTag() {
    CompletableFuture<Void> one = tracker.register(1);
    CompletableFuture<Void> two = tracker.register(2);
    CompletableFuture<Void> three = tracker.register(3);

    tracker.settle(2, true, null);

    assertThat(one).isCompleted();
    assertThat(two).isCompleted();
    assertThat(three).isNotDone();
    assertThat(tracker.size()).isEqualTo(1);
  }

  @Test
  void singleNackFailsOnlyThatSequenceNumber() {
    CompletableFuture<Void> one = tracker.register(1);
    CompletableFuture<Void> two = tracker.register(2);

    tracker.settle(2, false, new IOException("nack"));

    assertThat(one).isNotDone();
    assertThat(two).isCompletedExceptionally();
  }

  @Test
  void multipleNackFailsEverySequenceNumberUpToTheTag() {
    CompletableFuture<Void> one = tracker.register(1);
    CompletableFuture<Void> two = tracker.register(2);
    CompletableFuture<Void> three = tracker.register(3);

    tracker.settle(2, true, new IOException("nack"));

    assertThat(one).isCompletedExceptionally();
    assertThat(two).isCompletedExceptionally();
    assertThat(three).isNotDone();
  }

  @Test
  void channelShutdownFailsEverythingOutstandingSoNoJobHangs() {
    CompletableFuture<Void> one = tracker.register(7);
    CompletableFuture<Void> two = tracker.register(8);

    tracker.failAll(new IOException("channel closed"));

    assertThat(one).isCompletedExceptionally();
    assertThat(two).isCompletedExceptionally();
    assertThat(tracker.size()).isZero();
    // why: after recovery the channel counts from 1 again; a stale entry must not swallow it
    CompletableFuture<Void> fresh = tracker.register(1);
    tracker.settle(1, false, null);
    assertThat(fresh).isCompleted();
  }

  @Test
  void abandonedPublishFailsItsFuture() {
    CompletableFuture<Void> f = tracker.register(4);

    tracker.abandon(4, new IOException("write failed"));

    assertThat(f).isCompletedExceptionally();
    assertThat(tracker.size()).isZero();
  }

  @Test
  void confirmOfAReturnedMessageFailsItSoItIsPublishedAgain() {
    CompletableFuture<Void> routed = tracker.register(1, "event-1");
    CompletableFuture<Void> unrouted = tracker.register(2, "event-2");

    tracker.returned("event-2");
    tracker.settle(2, true, null);

    assertThat(routed).isCompleted().isNotCompletedExceptionally();
    assertThat(unrouted).isCompletedExceptionally();
    // the return is used up: the same event confirmed later, routed this time, succeeds
    CompletableFuture<Void> again = tracker.register(3, "event-2");
    tracker.settle(3, false, null);
    assertThat(again).isCompleted().isNotCompletedExceptionally();
  }
}
