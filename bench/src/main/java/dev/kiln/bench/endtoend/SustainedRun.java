package dev.kiln.bench.endtoend;

import dev.kiln.bench.client.Finishes;
import dev.kiln.bench.client.KilnHttp;
import dev.kiln.bench.client.NoOpJobs;
import dev.kiln.bench.stats.OpenLoopSchedule;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Submits no-op jobs for a fixed window as fast as the platform takes them ({@code inFlight}
 * requests at a time, each sent when the previous one was answered) and counts the jobs seen
 * succeeding within the window.
 *
 * <p>why a backlog cap: when the gateway accepts jobs faster than the workers finish them, the
 * queue would grow for the whole window and take minutes to drain on a shared machine. Reaching the
 * cap is itself the finding (the backlog did not stay bounded); from then on submission waits, and
 * the end-to-end rate is still what the workers finish.
 */
final class SustainedRun {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** How jobs are sent: one request per job, or {@link NoOpJobs#BATCH_SIZE} a request. */
  enum Mode {
    SINGLE(1),
    BATCH(NoOpJobs.BATCH_SIZE);

    final int jobsPerRequest;

    Mode(int jobsPerRequest) {
      this.jobsPerRequest = jobsPerRequest;
    }
  }

  /**
   * @param windowSeconds how long jobs were submitted
   * @param submitted jobs accepted
   * @param finishedInWindow of those, seen succeeding within the window
   * @param backlogAtHalf unfinished jobs at the middle of the window
   * @param backlogAtEnd unfinished jobs at the end of the window
   * @param peakBacklog the most unfinished jobs at any sample (every 250 ms)
   * @param heldAtCap whether submission ever waited at the backlog cap
   * @param failedRequests requests refused or unanswered
   * @param firstError the first failure, or null
   */
  record Result(
      double windowSeconds,
      long submitted,
      long finishedInWindow,
      int backlogAtHalf,
      int backlogAtEnd,
      int peakBacklog,
      boolean heldAtCap,
      long failedRequests,
      String firstError) {

    double perSecond() {
      return finishedInWindow / windowSeconds;
    }

    double submittedPerSecond() {
      return submitted / windowSeconds;
    }
  }

  private SustainedRun() {}

  static Result run(
      KilnHttp http,
      String key,
      Finishes finishes,
      Mode mode,
      int inFlight,
      double seconds,
      int maxBacklog) {
    String batchBody = mode == Mode.BATCH ? NoOpJobs.batch(NoOpJobs.BATCH_SIZE) : null;
    Window window = new Window(seconds);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < inFlight; c++) {
        pool.execute(
            () -> {
              while (System.nanoTime() < window.end) {
                if (finishes.backlog() + mode.jobsPerRequest > maxBacklog) {
                  window.heldAtCap.set(true);
                  sleep(5);
                  continue;
                }
                if (!window.submit(http, key, finishes, mode, batchBody)) {
                  sleep(100); // why: a refusing gateway must not be hammered in a hot loop
                }
              }
            });
      }
      window.sample(finishes);
    }
    return window.result(finishes);
  }

  /**
   * 1,000-job batches sent at a fixed rate of jobs, each at its due time whether or not the earlier
   * ones were answered (at most {@code maxOutstanding} at once; a batch due beyond that is not sent
   * and counts as failed). why: the as-fast-as-taken runs find the most the platform finishes, but
   * their submitters always outrun it, so their backlog reaches the cap by design; this run asks
   * whether a given rate is sustained: finished as fast as it arrives, the backlog level through
   * the window.
   */
  static Result paced(
      KilnHttp http,
      String key,
      Finishes finishes,
      double jobsPerSecond,
      double seconds,
      int maxBacklog,
      int maxOutstanding) {
    String batchBody = NoOpJobs.batch(NoOpJobs.BATCH_SIZE);
    Window window = new Window(seconds);
    OpenLoopSchedule schedule =
        new OpenLoopSchedule(window.start, jobsPerSecond / NoOpJobs.BATCH_SIZE);
    Semaphore outstanding = new Semaphore(maxOutstanding);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Thread sampler = Thread.ofVirtual().start(() -> window.sample(finishes));
      for (long i = 0; schedule.dueNanos(i) < window.end; i++) {
        schedule.awaitDue(i);
        if (finishes.backlog() + NoOpJobs.BATCH_SIZE > maxBacklog) {
          window.heldAtCap.set(true);
          continue;
        }
        if (!outstanding.tryAcquire()) {
          window.fail(maxOutstanding + " batch requests were already outstanding");
          continue;
        }
        pool.execute(
            () -> {
              try {
                window.submit(http, key, finishes, Mode.BATCH, batchBody);
              } finally {
                outstanding.release();
              }
            });
      }
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return window.result(finishes);
  }

  /** The window of one run: its clock, its failures and its backlog samples. */
  private static final class Window {
    final long start = System.nanoTime();
    final long windowNanos;
    final long end;
    final double seconds;
    final AtomicLong failed = new AtomicLong();
    final AtomicReference<String> firstError = new AtomicReference<>();
    final AtomicBoolean heldAtCap = new AtomicBoolean();
    final AtomicInteger peak = new AtomicInteger();
    final AtomicInteger atHalf = new AtomicInteger(-1);
    volatile int atEnd;

    Window(double seconds) {
      this.seconds = seconds;
      this.windowNanos = (long) (seconds * 1e9);
      this.end = start + windowNanos;
    }

    /** Sends one request; false when it failed. */
    boolean submit(KilnHttp http, String key, Finishes finishes, Mode mode, String batchBody) {
      try {
        List<String> ids =
            mode == Mode.BATCH
                ? NoOpJobs.submitBatch(http, key, batchBody, REQUEST_TIMEOUT)
                : List.of(NoOpJobs.submitOne(http, key, REQUEST_TIMEOUT));
        ids.forEach(finishes::submitted);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        fail(e.toString());
        return false;
      }
    }

    void fail(String error) {
      failed.incrementAndGet();
      firstError.compareAndSet(null, error);
    }

    /**
     * Samples the backlog until the window ends. why: the end sample is taken at the window's end,
     * before answers of requests still in flight add their jobs.
     */
    void sample(Finishes finishes) {
      for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
        peak.accumulateAndGet(finishes.backlog(), Math::max);
        if (atHalf.get() < 0 && now - start >= windowNanos / 2) {
          atHalf.set(finishes.backlog());
        }
        sleep(Math.max(1, Math.min(250, (end - now) / 1_000_000)));
      }
      atEnd = finishes.backlog();
      peak.accumulateAndGet(atEnd, Math::max);
    }

    Result result(Finishes finishes) {
      return new Result(
          seconds,
          finishes.submittedCount(),
          finishes.finishedBetween(start, end),
          Math.max(0, atHalf.get()),
          atEnd,
          peak.get(),
          heldAtCap.get(),
          failed.get(),
          firstError.get());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
