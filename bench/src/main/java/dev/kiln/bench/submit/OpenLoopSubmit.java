package dev.kiln.bench.submit;

import dev.kiln.bench.client.Finishes;
import dev.kiln.bench.client.KilnHttp;
import dev.kiln.bench.client.NoOpJobs;
import dev.kiln.bench.stats.Latencies;
import dev.kiln.bench.stats.OpenLoopSchedule;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Single submits at a fixed rate, each on its own virtual thread at its due time, whether or not
 * the earlier ones were answered; latency runs from the due time to the 202.
 */
final class OpenLoopSubmit {

  /**
   * why: a gateway slower than the rate would otherwise collect one connection per waiting request
   * (thousands within seconds); a request due beyond this many outstanding ones is not sent and
   * counts as failed, so the run says it missed rather than hiding it.
   */
  static final int MAX_OUTSTANDING = 1000;

  private OpenLoopSubmit() {}

  static SubmitRun run(
      KilnHttp http,
      String key,
      Finishes finishes,
      double perSecond,
      double warmupSeconds,
      double seconds,
      Duration requestTimeout) {
    Latencies latencies = new Latencies();
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong maxLag = new AtomicLong();
    AtomicLong lastAnswer = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    // why: a short lead so the first due time is not already behind when the loop starts
    OpenLoopSchedule schedule =
        new OpenLoopSchedule(System.nanoTime() + Duration.ofMillis(20).toNanos(), perSecond);
    // why: the first requests pay for new connections and a cold client; they are sent on the
    // same schedule but not counted
    long warmup = schedule.count(warmupSeconds);
    long due = warmup + schedule.count(seconds);
    Semaphore outstanding = new Semaphore(MAX_OUTSTANDING);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; i < due; i++) {
        long dueAt = schedule.dueNanos(i);
        boolean counted = i >= warmup;
        schedule.awaitDue(i);
        if (!outstanding.tryAcquire()) {
          if (counted) {
            failed.incrementAndGet();
            firstError.compareAndSet(
                null,
                "not sent: "
                    + String.format(Locale.ROOT, "%,d", MAX_OUTSTANDING)
                    + " requests were already outstanding");
          }
          continue;
        }
        pool.execute(
            () -> {
              if (counted) {
                maxLag.accumulateAndGet(System.nanoTime() - dueAt, Math::max);
              }
              try {
                String id = NoOpJobs.submitOne(http, key, requestTimeout);
                long now = System.nanoTime();
                finishes.submitted(id);
                if (counted) {
                  latencies.add(now - dueAt);
                  lastAnswer.accumulateAndGet(now, Math::max);
                  accepted.incrementAndGet();
                }
              } catch (Exception e) {
                if (counted) {
                  failed.incrementAndGet();
                  firstError.compareAndSet(null, e.toString());
                }
              } finally {
                outstanding.release();
              }
            });
      }
    }
    long end = Math.max(lastAnswer.get(), schedule.dueNanos(Math.max(0, due - 1)));
    return new SubmitRun(
        due - warmup,
        accepted.get(),
        failed.get(),
        firstError.get(),
        latencies.summary(),
        (end - schedule.dueNanos(warmup)) / 1e9,
        maxLag.get() / 1e6);
  }
}
