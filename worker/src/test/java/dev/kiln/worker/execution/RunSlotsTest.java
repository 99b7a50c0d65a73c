package dev.kiln.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RunSlotsTest {

  private final AtomicBoolean stopping = new AtomicBoolean();
  private final RunSlots slots = new RunSlots(2, stopping::get);

  private CompletableFuture<RunSlots.Lease> acquireLater(boolean alone) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return slots.acquire(alone);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void suspectWaitsUntilItHoldsEverySlotAndKeepsOthersOutWhileItRuns() throws Exception {
    RunSlots.Lease running = slots.acquire(false);
    CompletableFuture<RunSlots.Lease> suspect = acquireLater(true);
    Thread.sleep(500);
    assertThat(suspect).isNotDone();

    running.close();
    RunSlots.Lease alone = suspect.get(5, TimeUnit.SECONDS);
    assertThat(slots.available()).isZero();
    CompletableFuture<RunSlots.Lease> next = acquireLater(false);
    Thread.sleep(500);
    assertThat(next).isNotDone();

    alone.close();
    next.get(5, TimeUnit.SECONDS).close();
    assertThat(slots.available()).isEqualTo(2);
  }

  @Test
  void twoSuspectsRunOneAfterTheOther() throws Exception {
    RunSlots.Lease first = slots.acquire(true);
    CompletableFuture<RunSlots.Lease> second = acquireLater(true);
    Thread.sleep(500);
    assertThat(second).isNotDone();

    first.close();
    second.get(5, TimeUnit.SECONDS).close();
    assertThat(slots.available()).isEqualTo(2);
  }

  @Test
  void stoppingGivesBackTheSlotsASuspectGathered() throws Exception {
    RunSlots.Lease running = slots.acquire(false);
    CompletableFuture<RunSlots.Lease> suspect = acquireLater(true);
    Thread.sleep(500);

    stopping.set(true);

    assertThat(suspect.get(5, TimeUnit.SECONDS)).isNull();
    running.close();
    assertThat(slots.available()).isEqualTo(2);
    assertThat(slots.acquire(false)).isNull();
  }
}
