package dev.kiln.bench.endtoend;

import dev.kiln.bench.client.EventStream;
import dev.kiln.bench.client.KilnHttp;
import dev.kiln.bench.client.NoOpJobs;
import dev.kiln.bench.stats.Latencies;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Submit-to-start latency on an idle platform: one job at a time, the next one {@code gap} after
 * the previous one succeeded, so no job waits behind another.
 *
 * <p>Start is the job.started event's occurredAt (the worker's clock) and submit is the bench's
 * clock just before the request left: the two are one clock only when the bench runs on the
 * platform's machine, which is what {@code ./kiln bench} does.
 */
final class IdleLatency {

  private static final Duration PER_JOB_TIMEOUT = Duration.ofSeconds(10);

  /**
   * @param submitted jobs accepted
   * @param toStart submit to job.started
   * @param toSucceeded submit until the bench read job.succeeded
   * @param unfinished jobs not seen succeeding within 10 s each
   * @param failed submissions refused or unanswered
   * @param firstError the first failure, or null
   */
  record Result(
      int submitted,
      Latencies.Summary toStart,
      Latencies.Summary toSucceeded,
      int unfinished,
      int failed,
      String firstError) {}

  private final Map<String, Instant> started = new ConcurrentHashMap<>();
  private final Map<String, Long> succeeded = new ConcurrentHashMap<>();

  private IdleLatency() {}

  static Result run(KilnHttp http, String key, int jobs, Duration gap, Duration budget)
      throws InterruptedException {
    return new IdleLatency().measure(http, key, jobs, gap, budget);
  }

  private Result measure(KilnHttp http, String key, int jobs, Duration gap, Duration budget)
      throws InterruptedException {
    Latencies toStart = new Latencies();
    Latencies toSucceeded = new Latencies();
    int submitted = 0;
    int unfinished = 0;
    int failed = 0;
    String firstError = null;
    long end = System.nanoTime() + budget.toNanos();
    try (EventStream stream =
        EventStream.open(http, key, "/api/v1/events?type=synthetic", this::onEvent)) {
      for (int i = 0; i < jobs && System.nanoTime() < end; i++) {
        Instant sentAt = Instant.now();
        long t0 = System.nanoTime();
        String id;
        try {
          id = NoOpJobs.submitOne(http, key, PER_JOB_TIMEOUT);
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          failed++;
          firstError = firstError == null ? e.toString() : firstError;
          Thread.sleep(gap);
          continue;
        }
        submitted++;
        Long doneAt = awaitSucceeded(id, t0 + PER_JOB_TIMEOUT.toNanos());
        if (doneAt == null) {
          unfinished++;
        } else {
          toSucceeded.add(doneAt - t0);
          Instant startedAt = started.get(id);
          if (startedAt != null) {
            toStart.add(Duration.between(sentAt, startedAt).toNanos());
          }
        }
        started.remove(id);
        succeeded.remove(id);
        Thread.sleep(gap);
      }
    }
    return new Result(
        submitted, toStart.summary(), toSucceeded.summary(), unfinished, failed, firstError);
  }

  private void onEvent(EventStream.Event event) {
    if (event.type().equals("job.started") && event.occurredAt() != null) {
      started.putIfAbsent(event.jobId(), event.occurredAt());
    } else if (event.type().equals("job.succeeded")) {
      succeeded.put(event.jobId(), event.receivedNanos());
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private synchronized Long awaitSucceeded(String id, long deadline) throws InterruptedException {
    while (true) {
      Long at = succeeded.get(id);
      long left = deadline - System.nanoTime();
      if (at != null || left <= 0) {
        return at;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }
}
