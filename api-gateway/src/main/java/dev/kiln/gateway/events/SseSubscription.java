package dev.kiln.gateway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.model.json.KilnJson;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One SSE client. Until its replay from the database is done, live events are buffered; then the
 * buffer is drained, skipping ids already sent. That gives no gap and no duplicate between replay
 * and live delivery. Writes are chained, so frames never interleave, and bounded: a client that
 * stops reading is cut off with a reconnect hint and resumes from the database.
 */
public final class SseSubscription {

  /** why: live events held while the replay runs; more means the client resumes instead. */
  static final int MAX_BUFFERED = 10_000;

  /** why: frames written but not yet flushed to a client that reads slowly. */
  static final int MAX_PENDING_WRITES = 1_000;

  /** Replay pauses when this many frames are still being written. */
  static final int REPLAY_WINDOW = 256;

  static final long RECONNECT_MS = 1000;

  /** Decides, after an event was sent, whether the stream is complete. */
  public interface EndRule {
    boolean endsAfter(StoredEvent event, SseSubscription subscription);
  }

  private final SseEventSink sink;
  private final Sse sse;
  private final Predicate<StoredEvent> filter;
  private final EndRule endRule;
  private final Runnable onClose;
  private final ArrayDeque<StoredEvent> buffer = new ArrayDeque<>();
  private CompletionStage<?> tail = CompletableFuture.completedFuture(null);
  private int pendingWrites;
  private long lastSentId;
  private boolean live;
  private boolean closed;

  /** The newest job attempt seen, so a terminal event of an older attempt does not end a stream. */
  volatile int currentAttempt;

  public SseSubscription(
      SseEventSink sink,
      Sse sse,
      Predicate<StoredEvent> filter,
      EndRule endRule,
      long lastEventId,
      Runnable onClose) {
    this.sink = sink;
    this.sse = sse;
    this.filter = filter;
    this.endRule = endRule;
    this.lastSentId = lastEventId;
    this.onClose = onClose;
  }

  /** A live event from the relay. */
  public synchronized void offer(StoredEvent event) {
    if (closed || !filter.test(event)) {
      return;
    }
    if (!live) {
      if (buffer.size() >= MAX_BUFFERED) {
        closeWithRetryHint(RECONNECT_MS);
        return;
      }
      buffer.add(event);
      return;
    }
    if (pendingWrites >= MAX_PENDING_WRITES) {
      closeWithRetryHint(RECONNECT_MS);
      return;
    }
    send(event);
  }

  /**
   * An event read from the database during replay. Blocks the replaying (worker) thread while the
   * client is behind, so a long history is streamed, not queued in memory.
   */
  public void replay(StoredEvent event) {
    CompletionStage<?> backlog;
    synchronized (this) {
      if (closed || !filter.test(event)) {
        return;
      }
      send(event);
      backlog = pendingWrites >= REPLAY_WINDOW ? tail : null;
    }
    if (backlog != null) {
      try {
        backlog.toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        close();
      }
    }
  }

  /** Replay is done: deliver what arrived meanwhile, then deliver live. */
  public synchronized void goLive() {
    live = true;
    buffer.stream().sorted(Comparator.comparingLong(StoredEvent::id)).forEach(this::send);
    buffer.clear();
  }

  /**
   * Writes the response head and a first comment from the calling (request) thread, before any
   * other thread writes to the stream. The framework writes the head itself after the resource
   * method returns unless it is already written; a replay thread that wrote first would race with
   * it and fail the request.
   */
  public synchronized void open() {
    chain(sse.newEventBuilder().comment("open").build());
  }

  public synchronized void comment(String text) {
    if (!closed && live) {
      chain(sse.newEventBuilder().comment(text).build());
    }
  }

  public synchronized boolean isClosed() {
    return closed || sink.isClosed();
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
    buffer.clear();
    tail.whenComplete((ok, error) -> sink.close());
    onClose.run();
  }

  /** Ends the stream telling the client when to reconnect ({@code retry:}). */
  public synchronized void closeWithRetryHint(long reconnectMillis) {
    if (!closed) {
      chain(
          sse.newEventBuilder()
              .comment("reconnect with Last-Event-ID")
              .reconnectDelay(reconnectMillis)
              .build());
      close();
    }
  }

  private void send(StoredEvent event) {
    if (closed || event.id() <= lastSentId) {
      return;
    }
    lastSentId = event.id();
    if (event.job() != null && event.job().attempt() > currentAttempt) {
      currentAttempt = event.job().attempt();
    }
    try {
      chain(
          sse.newEventBuilder()
              .id(Long.toString(event.id()))
              .name(event.type())
              .mediaType(MediaType.APPLICATION_JSON_TYPE)
              .data(KilnJson.mapper().writeValueAsString(event))
              .build());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (endRule.endsAfter(event, this)) {
      close();
    }
  }

  private void chain(OutboundSseEvent event) {
    pendingWrites++;
    tail =
        tail.thenCompose(
                ignored ->
                    sink.isClosed() ? CompletableFuture.completedFuture(null) : sink.send(event))
            .handle(
                (ok, error) -> {
                  synchronized (this) {
                    pendingWrites--;
                    if (error != null && !closed) {
                      // the client went away; stop holding anything for it
                      closed = true;
                      buffer.clear();
                      onClose.run();
                    }
                  }
                  return null;
                });
  }
}
