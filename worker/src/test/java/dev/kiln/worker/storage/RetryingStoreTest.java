package dev.kiln.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.worker.testing.FlakyObjectStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryingStoreTest {

  private final FlakyObjectStore store = new FlakyObjectStore();
  private final RetryingStore retrying =
      new RetryingStore(
          store, Duration.ofMillis(20), Duration.ofMillis(80), Duration.ofMillis(600));

  @Test
  void callThatFailsForAWhileIsRetriedWithGrowingWaitsUntilItSucceeds() throws Exception {
    store.failFirst(3, call -> call.startsWith("put "));
    long t0 = System.nanoTime();

    retrying.putBytes("k", "v".getBytes(StandardCharsets.UTF_8), "text/plain", () -> {});

    long waitedMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    assertThat(store.log).containsExactly("put k", "put k", "put k", "put k");
    assertThat(store.objects).containsKey("k");
    // why: 20 + 40 + 80 ms of backoff; the cap keeps the third wait at 80
    assertThat(waitedMs).isBetween(140L, 500L);
  }

  @Test
  void storeThatStaysDownFailsAsUnavailableWithinItsBudget() {
    store.down = call -> true;
    long t0 = System.nanoTime();

    assertThatThrownBy(() -> retrying.list("work/", () -> {}))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("list work/");

    long tookMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    assertThat(tookMs).isBetween(300L, 900L);
    // why: 20, 40, 80, 80, 80, 80, 80 ms of waits fit in 600 ms; the next one would not
    assertThat(store.calls.get()).isBetween(6, 9);
  }

  @Test
  void missingObjectIsAnAnswerNotAnOutage() throws Exception {
    assertThat(retrying.readBytes("nothing-here", () -> {})).isEmpty();
    assertThatThrownBy(() -> retrying.open("nothing-here", () -> {}))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThat(store.calls.get()).isEqualTo(2);
  }

  @Test
  void guardStopsRetryingAtOnce() {
    store.down = call -> true;
    AtomicInteger checks = new AtomicInteger();
    RetryingStore.Guard cancelAfterFirstFailure =
        () -> {
          if (checks.incrementAndGet() > 1) {
            throw new IllegalStateException("cancelled");
          }
        };

    assertThatThrownBy(() -> retrying.delete("k", cancelAfterFirstFailure))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cancelled");
    assertThat(store.calls.get()).isEqualTo(1);
  }

  @Test
  void downloadThatBreaksMidwayResumesAtTheByteItStoppedAt() throws Exception {
    byte[] content = new byte[10_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 7);
    }
    store.objects.put("big", content);
    store.breakReadsAfter = 3_000;

    byte[] read;
    try (InputStream in = retrying.open("big", () -> {})) {
      read = in.readAllBytes();
    }

    assertThat(read).isEqualTo(content);
    assertThat(store.log).containsExactly("open big", "open big");
  }
}
