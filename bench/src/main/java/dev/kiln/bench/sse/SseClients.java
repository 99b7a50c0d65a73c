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
    void onData(SseConnection conn, byte[] line, int length, long receivedEpochMicros);
  }

  private final InetSocketAddress server;
  private final byte[] request;
  private final int sourceAddresses;
  private final DataListener listener;
  private final Loop[] loops;
  private final List<SseConnection> conns = new ArrayList<>();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger endedByServer = new AtomicInteger();
  private final LongAdder frames = new LongAdder();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private final SseConnection.Listener events =
      new SseConnection.Listener() {
        @Override
        public void opened(SseConnection c) {
          opened.incrementAndGet();
        }

        @Override
        public void frame(SseConnection c, byte[] line, int length, long receivedEpochMicros) {
          frames.increment();
          if (listener != null) {
            listener.onData(c, line, length, receivedEpochMicros);
          }
        }

        @Override
        public void endedByServer(SseConnection c) {
          endedByServer.incrementAndGet();
        }

        @Override
        public void failed(SseConnection c, String why) {
          fail(c, why);
        }
      };

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
      SseConnection conn = new SseConnection(n);
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
    for (SseConnection c : conns) {
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

  List<SseConnection> conns() {
    return conns;
  }

  @Override
  public void close() {
    for (Loop loop : loops) {
      loop.running = false;
      loop.selector.wakeup();
    }
    for (SseConnection c : conns) {
      try {
        if (c.channel != null) {
          c.channel.close();
        }
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private void fail(SseConnection conn, String why) {
    if (!conn.open && !conn.failed) {
      conn.failed = true;
      failed.incrementAndGet();
      failures.computeIfAbsent(why, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  private final class Loop implements Runnable {
    final Selector selector;
    final Queue<SseConnection> added = new ConcurrentLinkedQueue<>();
    // why: one read buffer per thread, not per connection
    final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    volatile boolean running = true;

    Loop(Selector selector) {
      this.selector = selector;
    }

    void add(SseConnection conn) {
      added.add(conn);
      selector.wakeup();
    }

    @Override
    public void run() {
      while (running) {
        try {
          selector.select(100);
          for (SseConnection c; (c = added.poll()) != null; ) {
            c.channel.register(selector, SelectionKey.OP_CONNECT, c);
          }
          var keys = selector.selectedKeys();
          long now = nowMicros();
          for (SelectionKey key : keys) {
            SseConnection c = (SseConnection) key.attachment();
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

    private void read(SelectionKey key, SseConnection c, long now) throws IOException {
      buffer.clear();
      int n = c.channel.read(buffer);
      if (n < 0) {
        end(key, c, "closed by server before the stream opened");
        return;
      }
      buffer.flip();
      c.consume(buffer, now, events);
    }

    private void end(SelectionKey key, SseConnection c, String why) {
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

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }
}
