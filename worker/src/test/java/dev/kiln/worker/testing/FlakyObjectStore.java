package dev.kiln.worker.testing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An in-memory store whose calls fail like an unreachable object store while {@link #down} says so,
 * counting every call.
 */
public final class FlakyObjectStore extends InMemoryObjectStore {

  /**
   * Which calls fail: gets the operation ({@code put}, {@code open}, {@code list}, {@code delete})
   * and key.
   */
  public volatile Predicate<String> down = call -> false;

  /** Fail the first {@code n} calls matching {@code match}, then recover. */
  public void failFirst(int n, Predicate<String> match) {
    AtomicInteger left = new AtomicInteger(n);
    down = call -> match.test(call) && left.getAndDecrement() > 0;
  }

  /** When above 0, streams returned by open fail once after this many bytes. */
  public volatile int breakReadsAfter;

  public final AtomicInteger calls = new AtomicInteger();
  public final List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();

  private void check(String op, String key) throws IOException {
    calls.incrementAndGet();
    String call = op + " " + key;
    log.add(call);
    if (down.test(call)) {
      throw new java.net.ConnectException("Connection refused (store down for " + call + ")");
    }
  }

  @Override
  public void put(String key, InputStream content, long size, String contentType)
      throws IOException {
    check("put", key);
    super.put(key, content, size, contentType);
  }

  @Override
  public InputStream open(String key, long offset) throws IOException {
    check("open", key);
    InputStream in = super.open(key, offset);
    int breakAfter = breakReadsAfter;
    if (breakAfter <= 0) {
      return in;
    }
    breakReadsAfter = 0;
    return new FilterInputStream(in) {
      private int served;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (served >= breakAfter) {
          throw new IOException("connection reset");
        }
        int n = super.read(b, off, Math.min(len, breakAfter - served));
        if (n > 0) {
          served += n;
        }
        return n;
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
      }
    };
  }

  @Override
  public void delete(String key) throws IOException {
    check("delete", key);
    super.delete(key);
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    check("list", prefix);
    return super.list(prefix);
  }
}
