package dev.kiln.worker.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.events.JobEventBatch;
import dev.kiln.model.json.KilnJson;
import dev.kiln.worker.pipeline.EventSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The events of one job run on their way to the broker, in seq order.
 *
 * <p>Order: before an event is published, every earlier event of the run that is not on its way
 * (never handed to the channel, lost with a closed channel, or nacked) is republished first, with
 * its own event id, so the gateway never sees an event ahead of one emitted before it. While the
 * event channel is down, {@link #emit} waits for it with backoff, up to the confirm timeout; past
 * that the run counts as unable to report: nothing more is published and {@link #awaitConfirmed}
 * answers false, which returns the job message to the queue.
 *
 * <p>Confirms are not waited for while the run goes on: {@link #awaitConfirmed}, right before the
 * job message is acked, is the one place that waits for them.
 */
public final class ConfirmedEventSink implements EventSink {

  private static final Logger LOG = Logger.getLogger(ConfirmedEventSink.class);
  static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
  private static final byte[] BATCH_HEAD =
      ("{\"v\":" + JobEventBatch.VERSION + ",\"events\":[")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private static final byte[] BATCH_TAIL = "]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** Publishes one job event. */
  @FunctionalInterface
  public interface EventChannel {
    /**
     * @return completes when the broker confirmed the event; exceptionally when it was nacked or
     *     its channel closed first. A future that is already failed on return means the event was
     *     not handed to the channel (closed or recovering): nothing was sent.
     */
    CompletableFuture<Void> publishEvent(String routingKey, String eventId, byte[] body);

    /**
     * Publishes a {@link JobEventBatch}, with the same contract as {@link #publishEvent}; called
     * only when {@link #takesBatches()}.
     */
    default CompletableFuture<Void> publishBatch(String routingKey, String messageId, byte[] body) {
      throw new UnsupportedOperationException("this channel takes single events only");
    }

    /** Whether consecutive held events may go out as one {@link JobEventBatch}. */
    default boolean takesBatches() {
      return false;
    }
  }

  private static final class Entry {
    final JobEvent event;
    final byte[] body;
    // null: not handed to the channel yet
    CompletableFuture<Void> confirm;

    Entry(JobEvent event, byte[] body) {
      this.event = event;
      this.body = body;
    }

    boolean needsPublishing() {
      return confirm == null || confirm.isCompletedExceptionally();
    }

    boolean confirmed() {
      return confirm != null && confirm.isDone() && !confirm.isCompletedExceptionally();
    }
  }

  private final EventChannel channel;
  private final Duration confirmTimeout;
  private final long firstBackoffNanos;
  private final long maxBackoffNanos;
  // why: a lock rather than synchronized, so a virtual thread waiting for the channel does not pin
  // its carrier thread on Java 21
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private boolean gaveUp;
  private boolean holding;
  private boolean terminalEmitted;
  private boolean endEmitted;
  private long lastSeq;
  private java.util.UUID lastRun;

  /**
   * @param confirmTimeout how long one {@link #emit} may wait for a closed event channel
   */
  public ConfirmedEventSink(EventChannel channel, Duration confirmTimeout) {
    this(channel, confirmTimeout, FIRST_BACKOFF, MAX_BACKOFF);
  }

  ConfirmedEventSink(
      EventChannel channel, Duration confirmTimeout, Duration firstBackoff, Duration maxBackoff) {
    this.channel = channel;
    this.confirmTimeout = confirmTimeout;
    this.firstBackoffNanos = firstBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  @Override
  public void emit(JobEvent event) {
    byte[] body;
    try {
      body = KilnJson.mapper().writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("job event is not serialisable", e);
    }
    lock.lock();
    try {
      entries.addLast(new Entry(event, body));
      lastSeq = Math.max(lastSeq, event.seq());
      lastRun = event.run();
      terminalEmitted |= event.isTerminal();
      endEmitted |= event.isTerminal() || event.payload() instanceof EventPayload.JobRetrying;
      if (gaveUp || holding) {
        return;
      }
      publishOrGiveUp();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Keeps emitted events back until {@link #flush} or {@link #awaitConfirmed}, which publish them
   * together, as one {@link JobEventBatch} when the channel takes batches.
   */
  @Override
  public void hold() {
    lock.lock();
    try {
      holding = true;
    } finally {
      lock.unlock();
    }
  }

  /** Publishes what was held back, and publishes each event as it comes from now on. */
  @Override
  public void flush() {
    lock.lock();
    try {
      holding = false;
      if (!gaveUp) {
        publishOrGiveUp();
      }
    } finally {
      lock.unlock();
    }
  }

  private void publishOrGiveUp() {
    try {
      if (!publishOutstanding(System.nanoTime() + confirmTimeout.toNanos())) {
        giveUp("the event channel stayed closed for " + confirmTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      giveUp("interrupted while waiting for the event channel");
    }
  }

  /**
   * Waits until the broker confirmed every event of the run, republishing lost or nacked ones in
   * order (same event id, so consumers drop duplicates) until {@code timeout}.
   *
   * @return true when all events are confirmed: only then may the job message be acked
   */
  public boolean awaitConfirmed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoff = firstBackoffNanos;
    lock.lock();
    try {
      holding = false;
      while (!gaveUp) {
        if (!publishOutstanding(deadline)) {
          return false;
        }
        List<Entry> waiting = new ArrayList<>(entries);
        boolean lost = false;
        for (Entry e : waiting) {
          try {
            e.confirm.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          } catch (ExecutionException failed) {
            // why: keep waiting for the others; the lost ones are republished in order below
            lost = true;
          } catch (TimeoutException late) {
            return false;
          }
        }
        dropConfirmedHead();
        if (!lost) {
          return true;
        }
        if (deadline - System.nanoTime() < backoff) {
          return false;
        }
        // why: a lost confirm usually means the channel is recovering; give it a moment
        TimeUnit.NANOSECONDS.sleep(backoff);
        backoff = Math.min(backoff * 2, maxBackoffNanos);
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Whether a terminal event was emitted (confirmed or not). */
  public boolean terminalEmitted() {
    lock.lock();
    try {
      return terminalEmitted;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the run's last event (terminal, or {@code job.retrying}) was emitted. */
  public boolean endEmitted() {
    lock.lock();
    try {
      return endEmitted;
    } finally {
      lock.unlock();
    }
  }

  /** The run of the last event emitted, or null before the first event. */
  public java.util.UUID lastRun() {
    lock.lock();
    try {
      return lastRun;
    } finally {
      lock.unlock();
    }
  }

  /** The highest seq emitted so far; 0 before the first event. */
  public long lastSeq() {
    lock.lock();
    try {
      return lastSeq;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Hands every entry that is not on its way to the channel, oldest first, and stops at the first
   * the channel does not take; retries with backoff while the channel is down.
   *
   * @return false when {@code deadline} passed with entries still not handed over
   */
  private boolean publishOutstanding(long deadline) throws InterruptedException {
    long backoff = firstBackoffNanos;
    while (true) {
      dropConfirmedHead();
      if (handOver()) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.sleep(Math.min(backoff, left));
      backoff = Math.min(backoff * 2, maxBackoffNanos);
    }
  }

  /**
   * Hands every entry that needs publishing to the channel, consecutive ones as one batch when the
   * channel takes batches.
   *
   * @return true when every entry is on its way
   */
  private boolean handOver() {
    List<Entry> group = new ArrayList<>();
    int republished = 0;
    for (Entry e : entries) {
      if (!e.needsPublishing()) {
        if (!send(group)) {
          return false;
        }
        group.clear();
        continue;
      }
      if (e.confirm != null) {
        republished++;
      }
      group.add(e);
    }
    if (!send(group)) {
      return false;
    }
    if (republished > 0) {
      LOG.infof(
          "job %s: republished %d unconfirmed event(s)",
          entries.peekLast().event.jobId(), republished);
    }
    return true;
  }

  /**
   * @return false when the channel did not take the group (or its first event not taken)
   */
  private boolean send(List<Entry> group) {
    if (group.isEmpty()) {
      return true;
    }
    if (group.size() == 1 || !channel.takesBatches()) {
      for (Entry e : group) {
        CompletableFuture<Void> f =
            channel.publishEvent(e.event.type(), e.event.eventId().toString(), e.body);
        if (f.isCompletedExceptionally()) {
          // why: not taken; the entries after it must wait, or they would overtake it
          e.confirm = null;
          return false;
        }
        e.confirm = f;
      }
      return true;
    }
    Entry first = group.getFirst();
    CompletableFuture<Void> f =
        channel.publishBatch(
            first.event.type(), "batch-" + first.event.eventId(), batchBody(group));
    for (Entry e : group) {
      e.confirm = f.isCompletedExceptionally() ? null : f;
    }
    return !f.isCompletedExceptionally();
  }

  /** A {@link JobEventBatch} made of the events' own serialised bodies, in order. */
  private static byte[] batchBody(List<Entry> group) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(group.size() * 320);
    out.writeBytes(BATCH_HEAD);
    for (int i = 0; i < group.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(group.get(i).body);
    }
    out.writeBytes(BATCH_TAIL);
    return out.toByteArray();
  }

  /** Forgets confirmed events at the head: a long job emits thousands of progress events. */
  private void dropConfirmedHead() {
    while (!entries.isEmpty() && entries.peekFirst().confirmed()) {
      entries.pollFirst();
    }
  }

  private void giveUp(String why) {
    gaveUp = true;
    Entry last = entries.peekLast();
    LOG.errorf(
        "job %s attempt %d: cannot report events (%s); the run's message returns to the queue",
        last.event.jobId(), last.event.attempt(), why);
  }
}
