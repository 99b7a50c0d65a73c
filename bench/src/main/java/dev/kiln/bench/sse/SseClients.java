package dev.kiln.bench.sse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many SSE clients in one JVM: a few selector threads, each connection a small state machine that
 * speaks just enough HTTP/1.1 (one GET, a chunked or close-delimited body) to read {@code data:}
 * lines. why: 20,000 java.net.http clients would need far more threads and heap than the gateway
 * under test, and the load generator shares the machine with it.
 *
 * <p>Connections bind local addresses 127.0.0.2, 127.0.0.3, … in turn so that no single source
 * address runs out of ephemeral ports. Only loopback is ever contacted.
 */
final class SseClients implements AutoCloseable {

  /** Called on a selector thread for every {@code data:} line; must be quick. */
  interface DataListener {
    void onData(Conn conn, byte[] line, int length, long receivedEpochMicros);
  }

  private final InetSocketAddress server;
  private final byte[] request;
  private final int sourceAddresses;
  private final DataListener listener;
  private final Loop[] loops;
  private final List<Conn> conns = new ArrayList<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger endedByServer = new AtomicInteger();
  private final LongAdder frames = new LongAdder();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

  /**
   * @param path the stream's path and query
   * @param bearer API key sent as {@code Authorization: Bearer}
   * @param sourceAddresses how many local addresses (127.0.0.2 on) to spread connections over
   */
  SseClients(
      InetSocketAddress server,
      String path,
      String bearer,
      int sourceAddresses,
      int threads,
      DataListener listener)
      throws IOException {
    this.server = server;
    this.request =
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + server.getHostString()
                + ":"
                + server.getPort()
                + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                + bearer
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    this.sourceAddresses = sourceAddresses;
    this.listener = listener;
    this.loops = new Loop[threads];
    for (int i = 0; i < threads; i++) {
      loops[i] = new Loop(Selector.open());
      Thread.ofPlatform().daemon().name("sse-client-" + i).start(loops[i]);
    }
  }

  /**
   * Opens connections until {@code total} have been started, at most {@code inFlight} waiting for
   * their stream to open at a time, then waits up to {@code timeoutMs} for all to open or fail.
   */
  void openUpTo(int total, int inFlight, long timeoutMs) throws InterruptedException {
    while (conns.size() < total) {
      while (conns.size() - opened.get() - failed.get() >= inFlight) {
        Thread.sleep(1);
      }
      int n = conns.size();
      Conn conn = new Conn(n);
      conns.add(conn);
      try {
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        // why: loopback only; 127.0.0.2.. spread the source ports over several addresses
        ch.bind(new InetSocketAddress("127.0.0." + (2 + n % sourceAddresses), 0));
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        conn.channel = ch;
        ch.connect(server);
        loops[n % loops.length].add(conn);
      } catch (IOException e) {
        fail(conn, "connect: " + e.getMessage());
      }
    }
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (opened.get() + failed.get() < conns.size() && System.currentTimeMillis() < deadline) {
      Thread.sleep(5);
    }
  }

  int started() {
    return conns.size();
  }

  /** Connections whose response was 200 with a first frame or comment and still open. */
  int holding() {
    int n = 0;
    for (Conn c : conns) {
      if (c.open && !c.ended) {
        n++;
      }
    }
    return n;
  }

  int opened() {
    return opened.get();
  }

  int failed() {
    return failed.get();
  }

  int endedByServer() {
    return endedByServer.get();
  }

  long frames() {
    return frames.sum();
  }

  Map<String, AtomicInteger> failures() {
    return failures;
  }

  List<Conn> conns() {
    return conns;
  }

  @Override
  public void close() {
    for (Loop loop : loops) {
      loop.running = false;
      loop.selector.wakeup();
    }
    for (Conn c : conns) {
      try {
        if (c.channel != null) {
          c.channel.close();
        }
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void fail(Conn conn, String why) {
    if (!conn.open && !conn.failed) {
      conn.failed = true;
      failed.incrementAndGet();
      failures.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  /** One client connection; fields are touched only by its selector thread after registration. */
  static final class Conn {
    final int index;
    SocketChannel channel;
    ByteBuffer pendingRequest;
    boolean inBody;
    boolean chunked;
    int status;
    long chunkLeft = -1; // -1: reading a chunk-size line
    boolean chunkCrlf;
    byte[] line = new byte[128];
    int lineLength;
    volatile boolean open;
    volatile boolean failed;
    volatile boolean ended;
    volatile int events;
    volatile long retryHintMs = -1;

    Conn(int index) {
      this.index = index;
    }
  }

  private final class Loop implements Runnable {
    final Selector selector;
    final Queue<Conn> added = new ConcurrentLinkedQueue<>();
    // why: one read buffer per thread, not per connection
    final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    volatile boolean running = true;

    Loop(Selector selector) {
      this.selector = selector;
    }

    void add(Conn conn) {
      added.add(conn);
      selector.wakeup();
    }

    @Override
    public void run() {
      while (running) {
        try {
          selector.select(100);
          for (Conn c; (c = added.poll()) != null; ) {
            c.channel.register(selector, SelectionKey.OP_CONNECT, c);
          }
          var keys = selector.selectedKeys();
          long now = nowMicros();
          for (SelectionKey key : keys) {
            Conn c = (Conn) key.attachment();
            try {
              if (key.isValid() && key.isConnectable()) {
                c.channel.finishConnect();
                c.pendingRequest = ByteBuffer.wrap(request);
                key.interestOps(SelectionKey.OP_WRITE);
              } else if (key.isValid() && key.isWritable()) {
                c.channel.write(c.pendingRequest);
                if (!c.pendingRequest.hasRemaining()) {
                  c.pendingRequest = null;
                  key.interestOps(SelectionKey.OP_READ);
                }
              } else if (key.isValid() && key.isReadable()) {
                read(key, c, now);
              }
            } catch (IOException | RuntimeException e) {
              end(key, c, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
          }
          keys.clear();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
      try {
        selector.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    private void read(SelectionKey key, Conn c, long now) throws IOException {
      buffer.clear();
      int n = c.channel.read(buffer);
      if (n < 0) {
        end(key, c, "closed by server before the stream opened");
        return;
      }
      buffer.flip();
      while (buffer.hasRemaining()) {
        if (!c.inBody) {
          head(c);
        } else if (!c.chunked) {
          line(c, buffer.get(), now);
        } else if (c.chunkLeft < 0 || c.chunkCrlf) {
          chunkHeader(c);
        } else {
          int take = (int) Math.min(c.chunkLeft, buffer.remaining());
          for (int i = 0; i < take; i++) {
            line(c, buffer.get(), now);
          }
          c.chunkLeft -= take;
          if (c.chunkLeft == 0) {
            c.chunkCrlf = true;
          }
        }
      }
    }

    private void head(Conn c) {
      byte b = buffer.get();
      if (b != '\n') {
        append(c, b);
        return;
      }
      String text = new String(c.line, 0, c.lineLength, StandardCharsets.US_ASCII).trim();
      c.lineLength = 0;
      if (c.status == 0) {
        String[] parts = text.split(" ");
        c.status = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
      } else if (text.isEmpty()) {
        c.inBody = true;
        if (c.status != 200) {
          fail(c, "HTTP " + c.status);
        }
      } else if (text.toLowerCase().startsWith("transfer-encoding:") && text.contains("chunked")) {
        c.chunked = true;
      }
    }

    /** The size line of a chunk, or the CRLF after a chunk's data. */
    private void chunkHeader(Conn c) {
      byte b = buffer.get();
      if (b != '\n') {
        if (!c.chunkCrlf) {
          append(c, b);
        }
        return;
      }
      if (c.chunkCrlf) {
        c.chunkCrlf = false;
        c.chunkLeft = -1;
        return;
      }
      String size = new String(c.line, 0, c.lineLength, StandardCharsets.US_ASCII).trim();
      c.lineLength = 0;
      int semi = size.indexOf(';');
      c.chunkLeft = Long.parseLong(semi < 0 ? size : size.substring(0, semi), 16);
      if (c.chunkLeft == 0) {
        c.ended = true; // the last chunk: the server ended the stream
        endedByServer.incrementAndGet();
        c.chunkLeft = -1;
      }
    }

    /** One byte of the event stream. */
    private void line(Conn c, byte b, long now) {
      if (b != '\n') {
        append(c, b);
        return;
      }
      int length = c.lineLength;
      if (length > 0 && c.line[length - 1] == '\r') {
        length--;
      }
      c.lineLength = 0;
      if (length == 0) {
        return;
      }
      if (c.status == 200 && !c.open) {
        c.open = true;
        opened.incrementAndGet();
      }
      if (startsWith(c.line, length, "data:")) {
        c.events++;
        frames.increment();
        if (listener != null) {
          listener.onData(c, c.line, length, now);
        }
      } else if (startsWith(c.line, length, "retry:")) {
        c.retryHintMs = Long.parseLong(new String(c.line, 6, length - 6).trim());
      }
    }

    private void end(SelectionKey key, Conn c, String why) {
      key.cancel();
      try {
        c.channel.close();
      } catch (IOException e) {
        // closing anyway
      }
      if (c.open) {
        if (!c.ended) {
          c.ended = true;
          endedByServer.incrementAndGet();
        }
      } else {
        fail(c, why);
      }
    }
  }

  private static void append(Conn c, byte b) {
    if (c.lineLength == c.line.length) {
      c.line = java.util.Arrays.copyOf(c.line, c.line.length * 2);
    }
    c.line[c.lineLength++] = b;
  }

  private static boolean startsWith(byte[] line, int length, String prefix) {
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

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }
}
