package dev.kiln.bench.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE client's parser, fed a response in arbitrary pieces as the socket delivers it. */
class SseConnectionTest {

  private final List<String> seen = new ArrayList<>();

  private final SseConnection.Listener listener =
      new SseConnection.Listener() {
        @Override
        public void opened(SseConnection c) {
          seen.add("opened");
        }

        @Override
        public void frame(SseConnection c, byte[] line, int length, long receivedEpochMicros) {
          seen.add(
              new String(line, 0, length, StandardCharsets.UTF_8) + " @" + receivedEpochMicros);
        }

        @Override
        public void endedByServer(SseConnection c) {
          seen.add("ended");
        }

        @Override
        public void failed(SseConnection c, String why) {
          seen.add("failed " + why);
        }
      };

  private static String chunk(String data) {
    return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length)
        + "\r\n"
        + data
        + "\r\n";
  }

  /** Feeds {@code response} in pieces of {@code size} bytes, piece k read at time k. */
  private SseConnection feed(String response, int size) {
    SseConnection c = new SseConnection(0);
    byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
    for (int from = 0, read = 1; from < bytes.length; from += size, read++) {
      c.consume(ByteBuffer.wrap(bytes, from, Math.min(size, bytes.length - from)), read, listener);
    }
    return c;
  }

  @Test
  void chunkedStreamOpensCountsFramesAndEndsWithTheLastChunk() {
    String response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunk(":open\n\n")
            + chunk("retry: 2500\nid: 7\nevent: job.started\ndata: {\"a\":1}\n\n")
            + chunk("data: {\"b\":\"caf\u00e9\"}\n\n")
            + "0\r\n\r\n";
    SseConnection c = feed(response, 1_000);

    assertThat(seen)
        .containsExactly("opened", "data: {\"a\":1} @1", "data: {\"b\":\"café\"} @1", "ended");
    assertThat(c.open).isTrue();
    assertThat(c.ended).isTrue();
    assertThat(c.events).isEqualTo(2);
    assertThat(c.retryHintMs).isEqualTo(2500);
  }

  @Test
  void piecesSplitAnywhereParseAlike() {
    String response =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunk(":open\n\ndata: one\r\n\r\n")
            + chunk("data: two\n\n");
    SseConnection c = feed(response, 3);

    assertThat(seen).hasSize(3).startsWith("opened");
    assertThat(seen.get(1)).startsWith("data: one @");
    assertThat(seen.get(2)).startsWith("data: two @");
    assertThat(c.ended).isFalse();
  }

  @Test
  void plainBodyWithoutChunkingIsReadAsTheStream() {
    feed("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n:open\n\ndata: x\n\n", 7);

    assertThat(seen).hasSize(2).startsWith("opened");
    assertThat(seen.get(1)).startsWith("data: x @");
  }

  @Test
  void refusedStreamFailsWithItsStatusAndNeverOpens() {
    SseConnection c =
        feed("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 2\r\nRetry-After: 1\r\n\r\n{}", 5);

    assertThat(seen).containsExactly("failed HTTP 429");
    assertThat(c.open).isFalse();
  }
}
