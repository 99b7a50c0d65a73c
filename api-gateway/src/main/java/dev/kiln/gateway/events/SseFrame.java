package dev.kiln.gateway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.model.json.KilnJson;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * One event as an SSE frame ({@code id:}, {@code event:}, {@code data:}), serialised at most once
 * however many clients get it. why: serialising per client made the relay thread's work grow with
 * clients × events; now a client costs one write of shared bytes (Vert.x writes a slice of the
 * buffer, so the bytes are never copied or changed per client).
 */
public final class SseFrame {

  /** why: one buffer for every client's keep-alive, not one per client per tick. */
  static final Buffer KEEP_ALIVE = ascii(":keep-alive\n\n");

  private final StoredEvent event;
  private Buffer bytes;

  public SseFrame(StoredEvent event) {
    this.event = event;
  }

  public StoredEvent event() {
    return event;
  }

  /**
   * The frame's bytes, made on first use. why not synchronised: they are made by the thread that
   * made the frame (a replay thread, or the relay thread before it hands the frame to the event
   * loops, whose task queues publish them).
   */
  Buffer bytes() {
    if (bytes == null) {
      try {
        byte[] json = KilnJson.mapper().writeValueAsBytes(event);
        // why: Jackson writes JSON on one line, so one data: field holds it
        Buffer frame = Buffer.buffer(json.length + 64);
        frame
            .appendString("id:")
            .appendString(Long.toString(event.id()))
            .appendString("\nevent:")
            .appendString(event.type())
            .appendString("\ndata:")
            .appendBytes(json)
            .appendString("\n\n");
        bytes = frame;
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return bytes;
  }

  /** Tells the client to come back after {@code reconnectMillis}, from its Last-Event-ID. */
  static Buffer retry(long reconnectMillis) {
    return ascii(":reconnect with Last-Event-ID\nretry:" + reconnectMillis + "\n\n");
  }

  private static Buffer ascii(String text) {
    return Buffer.buffer(text.getBytes(StandardCharsets.US_ASCII));
  }
}
