package dev.kiln.bench.submit;

import dev.kiln.bench.client.Finishes;
import dev.kiln.bench.client.KilnHttp;
import dev.kiln.bench.client.NoOpJobs;
import dev.kiln.bench.stats.Latencies;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Single submits as fast as the gateway answers: {@code concurrency} clients, each sending its next
 * request when the previous one was answered, for {@code seconds}.
 */
final class ClosedLoopSubmit {

  private ClosedLoopSubmit() {}

  static SubmitRun run(
      KilnHttp http,
      String key,
      Finishes finishes,
      int concurrency,
      double seconds,
      Duration requestTimeout) {
    Latencies latencies = new Latencies();
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong lastAnswer = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < concurrency; c++) {
        pool.execute(
            () -> {
              while (System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                try {
                  String id = NoOpJobs.submitOne(http, key, requestTimeout);
                  long now = System.nanoTime();
                  latencies.add(now - t0);
                  lastAnswer.accumulateAndGet(now, Math::max);
                  accepted.incrementAndGet();
                  finishes.submitted(id);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  failed.incrementAndGet();
                  firstError.compareAndSet(null, e.toString());
                  pause(); // why: a refusing gateway must not be hammered in a hot loop
                }
              }
            });
      }
    }
    return new SubmitRun(
        accepted.get() + failed.get(),
        accepted.get(),
        failed.get(),
        firstError.get(),
        latencies.summary(),
        (Math.max(lastAnswer.get(), deadline) - start) / 1e9,
        0);
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
