package dev.kiln.bench.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Matches the jobs a run submitted with the job.succeeded events of the stream: how many are still
 * unfinished (the backlog) and when each one finished, as the client saw it.
 *
 * <p>why match by id: a job may finish before its submit call has answered, and the tenant may hold
 * other runs' jobs; counting every frame would count both wrong.
 */
public final class Finishes implements Consumer<EventStream.Event>, AutoCloseable {

  private static final long FORGET_UNMATCHED_NANOS = Duration.ofMinutes(5).toNanos();

  private final Map<String, Long> unmatched = new ConcurrentHashMap<>();
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();
  private final AtomicLong submitted = new AtomicLong();
  private final Thread matcher;
  private long[] finishNanos = new long[4096];
  private int finished;
  private long lastPurge = System.nanoTime();
  private volatile boolean closed;

  public Finishes() {
    // why: matching on a timer keeps the stream reader and the submitters free of any lock
    matcher = Thread.ofVirtual().name("bench-finishes").start(this::matchLoop);
  }

  @Override
  public void accept(EventStream.Event event) {
    if (event.type().equals("job.succeeded")) {
      unmatched.put(event.jobId(), event.receivedNanos());
    }
  }

  /** Records a job this run submitted. */
  public void submitted(String jobId) {
    waiting.add(jobId);
    submitted.incrementAndGet();
  }

  public long submittedCount() {
    return submitted.get();
  }

  /** Jobs submitted and not yet seen succeeding (at most ~20 ms stale). */
  public int backlog() {
    return waiting.size();
  }

  public synchronized int finishedCount() {
    return finished;
  }

  /** Jobs of this run seen succeeding with from ≤ System.nanoTime() < to. */
  public synchronized long finishedBetween(long fromNanos, long toNanos) {
    long n = 0;
    for (int i = 0; i < finished; i++) {
      if (finishNanos[i] >= fromNanos && finishNanos[i] < toNanos) {
        n++;
      }
    }
    return n;
  }

  /** When the last job of this run was seen succeeding; 0 before any. */
  public synchronized long lastFinishNanos() {
    long last = 0;
    for (int i = 0; i < finished; i++) {
      last = Math.max(last, finishNanos[i]);
    }
    return last;
  }

  /** Waits until every submitted job succeeded; false when {@code timeout} ran out first. */
  public boolean awaitDrained(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      match();
      if (waiting.isEmpty()) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(50);
    }
  }

  /**
   * Waits for the jobs to finish so the next measurement starts on an idle platform, and says how
   * long that took or how many were left.
   */
  public String drain(Duration timeout) throws InterruptedException {
    long t0 = System.nanoTime();
    if (awaitDrained(timeout)) {
      return String.format(
          Locale.ROOT,
          "all its jobs finished %.1f s after the load",
          (System.nanoTime() - t0) / 1e9);
    }
    return String.format(
        Locale.ROOT,
        "%,d of its jobs still unfinished %,d s after the load (the next measurement shares the"
            + " machine with them)",
        backlog(),
        timeout.toSeconds());
  }

  private void matchLoop() {
    while (!closed) {
      match();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void match() {
    for (Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
      String id = it.next();
      Long at = unmatched.remove(id);
      if (at != null) {
        it.remove();
        if (finished == finishNanos.length) {
          finishNanos = Arrays.copyOf(finishNanos, finished * 2);
        }
        finishNanos[finished++] = at;
      }
    }
    long now = System.nanoTime();
    if (now - lastPurge > Duration.ofSeconds(10).toNanos()) {
      // why: frames of jobs that are not this run's would otherwise pile up for the whole run
      unmatched.values().removeIf(at -> now - at > FORGET_UNMATCHED_NANOS);
      lastPurge = now;
    }
  }

  @Override
  public void close() {
    closed = true;
    matcher.interrupt();
  }
}
