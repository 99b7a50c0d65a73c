package dev.kiln.bench.sse;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One SSE client connection of {@link SseClients}: its socket and the parser of its HTTP response
 * (status line, headers, chunked or plain body) and event stream. Its fields are touched only by
 * its selector thread once registered, except the volatile ones other threads read.
 */
final class SseConnection {

  /** What the parser reports, on the selector thread; must be quick. */
  interface Listener {
    /** The response was 200 and its first line (a frame or a comment) arrived. */
    void opened(SseConnection c);

    /** A {@code data:} line. */
    void frame(SseConnection c, byte[] line, int length, long receivedEpochMicros);

    /** The server ended the stream (last chunk). */
    void endedByServer(SseConnection c);

    /** The response was not 200. */
    void failed(SseConnection c, String why);
  }

  final int index;
  SocketChannel channel;
  ByteBuffer pendingRequest;
  private boolean inBody;
  private boolean chunked;
  private int status;
  private long chunkLeft = -1; // -1: reading a chunk-size line
  private boolean chunkCrlf;
  private byte[] line = new byte[128];
  private int lineLength;
  volatile boolean open;
  volatile boolean failed;
  volatile boolean ended;
  volatile int events;
  volatile long retryHintMs = -1;

  SseConnection(int index) {
    this.index = index;
  }

  /** Parses everything that remains in {@code buffer}. */
  void consume(ByteBuffer buffer, long now, Listener listener) {
    while (buffer.hasRemaining()) {
      if (ended) {
        // why: after the last chunk only optional trailers and the final CRLF may follow
        buffer.position(buffer.limit());
        return;
      }
      if (!inBody) {
        head(buffer.get(), listener);
      } else if (!chunked) {
        line(buffer.get(), now, listener);
      } else if (chunkLeft < 0 || chunkCrlf) {
        chunkHeader(buffer.get(), listener);
      } else {
        int take = (int) Math.min(chunkLeft, buffer.remaining());
        for (int i = 0; i < take; i++) {
          line(buffer.get(), now, listener);
        }
        chunkLeft -= take;
        if (chunkLeft == 0) {
          chunkCrlf = true;
        }
      }
    }
  }

  private void head(byte b, Listener listener) {
    if (b != '\n') {
      append(b);
      return;
    }
    String text = new String(line, 0, lineLength, StandardCharsets.US_ASCII).trim();
    lineLength = 0;
    if (status == 0) {
      String[] parts = text.split(" ");
      status = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    } else if (text.isEmpty()) {
      inBody = true;
      if (status != 200) {
        listener.failed(this, "HTTP " + status);
      }
    } else if (text.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:")
        && text.contains("chunked")) {
      chunked = true;
    }
  }

  /** The size line of a chunk, or the CRLF after a chunk's data. */
  private void chunkHeader(byte b, Listener listener) {
    if (b != '\n') {
      if (!chunkCrlf) {
        append(b);
      }
      return;
    }
    if (chunkCrlf) {
      chunkCrlf = false;
      chunkLeft = -1;
      return;
    }
    String size = new String(line, 0, lineLength, StandardCharsets.US_ASCII).trim();
    lineLength = 0;
    int semi = size.indexOf(';');
    chunkLeft = Long.parseLong(semi < 0 ? size : size.substring(0, semi), 16);
    if (chunkLeft == 0) {
      ended = true; // the last chunk: the server ended the stream
      listener.endedByServer(this);
      chunkLeft = -1;
    }
  }

  /** One byte of the event stream. */
  private void line(byte b, long now, Listener listener) {
    if (b != '\n') {
      append(b);
      return;
    }
    int length = lineLength;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    lineLength = 0;
    if (length == 0) {
      return;
    }
    if (status == 200 && !open) {
      open = true;
      listener.opened(this);
    }
    if (startsWith(length, "data:")) {
      events++;
      listener.frame(this, line, length, now);
    } else if (startsWith(length, "retry:")) {
      retryHintMs =
          Long.parseLong(new String(line, 6, length - 6, StandardCharsets.US_ASCII).trim());
    }
  }

  private void append(byte b) {
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, line.length * 2);
    }
    line[lineLength++] = b;
  }

  private boolean startsWith(int length, String prefix) {
    if (length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (line[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
