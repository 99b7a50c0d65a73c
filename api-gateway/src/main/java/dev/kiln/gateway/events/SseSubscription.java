package dev.kiln.gateway.events;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One SSE client. Until its replay from the database is done, live events are buffered; then the
 * buffer is drained, skipping ids already sent. That gives no gap and no duplicate between replay
 * and live delivery. Frames are queued on the connection in order, and bounded: a client that stops
 * reading is cut off with a reconnect hint and resumes from the database.
 */
public final class SseSubscription {

  /** why: live events held while the replay runs; more means the client resumes instead. */
  static final int MAX_BUFFERED = 10_000;

  /** why: frames written but not yet flushed to a client that reads slowly. */
  static final int MAX_PENDING_WRITES = 1_000;

  /** Replay pauses when this many frames are still being written. */
  static final int REPLAY_WINDOW = 256;

  static final long RECONNECT_MS = 1000;

  /** why: how long a replay waits for a client that reads nothing before giving up on it. */
  private static final long REPLAY_STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Decides, after an event was sent, whether the stream is complete. */
  public interface EndRule {
    boolean endsAfter(StoredEvent event, SseSubscription subscription);
  }

  private final SseWire wire;
  private final Predicate<StoredEvent> filter;
  private final EndRule endRule;
  private final Runnable onClose;

  /**
   * why one handler per client and no lock in it: it runs for every frame on the event loop, and
   * Vert.x may run it while holding the connection's lock, which a relay thread holding this
   * subscription's lock may be waiting for.
   */
  private final Handler<AsyncResult<Void>> written = this::written;

  private final AtomicInteger pendingWrites = new AtomicInteger();

  /** why lazily: most streams go live at once and never buffer; 20,000 idle deques add up. */
  private ArrayDeque<SseFrame> buffer;

  private long lastSentId;
  private boolean live;
  private boolean closed;

  /** The client went away (a write failed); set without the lock, see {@link #written}. */
  private volatile boolean gone;

  /** The newest job attempt seen, so a terminal event of an older attempt does not end a stream. */
  volatile int currentAttempt;

  SseSubscription(
      SseWire wire,
      Predicate<StoredEvent> filter,
      EndRule endRule,
      long lastEventId,
      Runnable onClose) {
    this.wire = wire;
    this.filter = filter;
    this.endRule = endRule;
    this.lastSentId = lastEventId;
    this.onClose = onClose;
  }

  /** The event loop that writes to this client, or null when unknown. */
  java.util.concurrent.Executor loop() {
    return wire.loop();
  }

  /** A live event from the relay. */
  public synchronized void offer(SseFrame frame) {
    if (closed || gone || !filter.test(frame.event())) {
      return;
    }
    if (!live) {
      if (buffer == null) {
        buffer = new ArrayDeque<>();
      }
      if (buffer.size() >= MAX_BUFFERED) {
        closeWithRetryHint(RECONNECT_MS);
        return;
      }
      buffer.add(frame);
      return;
    }
    if (pendingWrites.get() >= MAX_PENDING_WRITES) {
      closeWithRetryHint(RECONNECT_MS);
      return;
    }
    send(frame);
  }

  /**
   * An event read from the database during replay. Blocks the replaying (virtual) thread while the
   * client is behind, so a long history is streamed, not queued in memory.
   */
  public void replay(StoredEvent event) {
    synchronized (this) {
      if (closed || gone || !filter.test(event)) {
        return;
      }
      send(new SseFrame(event));
    }
    if (pendingWrites.get() < REPLAY_WINDOW) {
      return;
    }
    long deadline = System.nanoTime() + REPLAY_STALL_NANOS;
    try {
      // why polling: a replay that outruns its client is rare, and a wait/notify pair would put a
      // lock back into the per-frame write callback
      while (pendingWrites.get() >= REPLAY_WINDOW / 2 && !isClosed()) {
        if (System.nanoTime() > deadline) {
          close();
          return;
        }
        Thread.sleep(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
    }
  }

  /** Replay is done: deliver what arrived meanwhile, then deliver live. */
  public synchronized void goLive() {
    live = true;
    if (buffer != null) {
      buffer.stream().sorted(Comparator.comparingLong(f -> f.event().id())).forEach(this::send);
      buffer = null;
    }
  }

  /**
   * Writes the response head and a first comment from the calling (request) thread, before any
   * other thread writes to the stream. The framework writes the head itself after the resource
   * method returns unless it is already written; a replay thread that wrote first would race with
   * it and fail the request.
   */
  public synchronized void open() {
    pendingWrites.incrementAndGet();
    wire.open(written);
  }

  /** A comment (keep-alive) shared by every client. */
  public synchronized void comment(Buffer frame) {
    if (!closed && !gone && live) {
      write(frame);
    }
  }

  public synchronized boolean isClosed() {
    return closed || gone || wire.isClosed();
  }

  public synchronized long lastSentId() {
    return lastSentId;
  }

  /** Ends the stream after everything queued has been written. */
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    buffer = null;
    wire.end();
    onClose.run();
  }

  /** Ends the stream telling the client when to reconnect ({@code retry:}). */
  public synchronized void closeWithRetryHint(long reconnectMillis) {
    if (!closed && !gone) {
      write(SseFrame.retry(reconnectMillis));
    }
    close();
  }

  private void send(SseFrame frame) {
    StoredEvent event = frame.event();
    if (closed || gone || event.id() <= lastSentId) {
      return;
    }
    lastSentId = event.id();
    if (event.job() != null && event.job().attempt() > currentAttempt) {
      currentAttempt = event.job().attempt();
    }
    write(frame.bytes());
    if (endRule.endsAfter(event, this)) {
      close();
    }
  }

  private void write(Buffer frame) {
    pendingWrites.incrementAndGet();
    try {
      wire.write(frame, written);
    } catch (IllegalStateException e) {
      // the response is closed already: the client went away
      pendingWrites.decrementAndGet();
      goneAway();
    }
  }

  private void written(AsyncResult<Void> result) {
    pendingWrites.decrementAndGet();
    if (result.failed()) {
      goneAway();
    }
  }

  /** The client went away; stop holding anything for it. */
  private void goneAway() {
    if (!gone) {
      gone = true;
      onClose.run();
    }
  }
}
