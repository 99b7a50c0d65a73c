package dev.kiln.worker.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Object store calls that ride out an outage: every failed call is tried again with exponential
 * backoff (by default 0.2 s doubling to 5 s) until the retry budget (30 s) would be exceeded, and
 * then fails with {@link StorageUnavailableException}. A missing object is an answer, not an
 * outage, and is never retried.
 *
 * <p>why here and not in the client: a retry must start the upload again from its first byte (the
 * caller's {@link Call} opens the content anew) and a download must resume where it stopped, and
 * both must stop at once when the job is cancelled or timed out (the {@link Guard}).
 */
public final class RetryingStore {

  private static final Logger LOG = Logger.getLogger(RetryingStore.class);

  /** One try of a store operation. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws IOException;
  }

  /** Checked before every try and every wait; throws (unchecked) to stop retrying. */
  @FunctionalInterface
  public interface Guard {
    Guard NONE = () -> {};

    void check();
  }

  private final ObjectStore store;
  private final long firstBackoffNanos;
  private final long maxBackoffNanos;
  private final long budgetNanos;

  public RetryingStore(
      ObjectStore store, Duration firstBackoff, Duration maxBackoff, Duration budget) {
    this.store = store;
    this.firstBackoffNanos = Math.max(1, firstBackoff.toNanos());
    this.maxBackoffNanos = Math.max(firstBackoffNanos, maxBackoff.toNanos());
    this.budgetNanos = budget.toNanos();
  }

  /** The store underneath, for single tries inside a {@link Call}. */
  public ObjectStore store() {
    return store;
  }

  /**
   * Runs {@code call} until it succeeds, the object turns out missing, or the budget is spent.
   * Runtime exceptions of the call pass through at once: they are not outages.
   *
   * @throws StorageUnavailableException when every try within the budget failed
   * @throws ObjectNotFoundException when the store says the object does not exist
   * @throws InterruptedIOException when the thread was interrupted while waiting
   */
  public <T> T call(String what, Guard guard, Call<T> call) throws IOException {
    long start = System.nanoTime();
    long backoff = firstBackoffNanos;
    long tries = 0;
    while (true) {
      guard.check();
      try {
        return call.call();
      } catch (ObjectNotFoundException e) {
        throw e;
      } catch (IOException e) {
        tries++;
        long elapsed = System.nanoTime() - start;
        if (elapsed + backoff > budgetNanos) {
          LOG.warnf("object store: giving up on %s after %d tries: %s", what, tries, e.toString());
          throw new StorageUnavailableException(what, tries, e);
        }
        LOG.infof(
            "object store: %s failed (try %d), again in %d ms: %s",
            what, tries, TimeUnit.NANOSECONDS.toMillis(backoff), e.toString());
        guard.check();
        try {
          TimeUnit.NANOSECONDS.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          InterruptedIOException stop =
              new InterruptedIOException("interrupted while waiting to retry " + what);
          stop.addSuppressed(e);
          throw stop;
        }
        backoff = Math.min(backoff * 2, maxBackoffNanos);
      }
    }
  }

  /** Stores a small object from memory. */
  public void putBytes(String key, byte[] content, String contentType, Guard guard)
      throws IOException {
    call(
        "put " + key,
        guard,
        () -> {
          store.put(key, new ByteArrayInputStream(content), content.length, contentType);
          return null;
        });
  }

  /** Reads a small object whole, or empty when it does not exist. */
  public Optional<byte[]> readBytes(String key, Guard guard) throws IOException {
    try {
      return Optional.of(
          call(
              "get " + key,
              guard,
              () -> {
                try (InputStream in = store.open(key, 0)) {
                  return in.readAllBytes();
                }
              }));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  public List<String> list(String prefix, Guard guard) throws IOException {
    return call("list " + prefix, guard, () -> store.list(prefix));
  }

  public void delete(String key, Guard guard) throws IOException {
    call(
        "delete " + key,
        guard,
        () -> {
          store.delete(key);
          return null;
        });
  }

  /**
   * Opens an object for reading. A read that fails midway opens the object again at the byte it
   * stopped at, with the same retries, so a store outage during a long download is ridden out too.
   *
   * @throws ObjectNotFoundException when there is no such object
   */
  public InputStream open(String key, Guard guard) throws IOException {
    return new ResumingInputStream(key, guard, call("get " + key, guard, () -> store.open(key, 0)));
  }

  private final class ResumingInputStream extends InputStream {
    private final String key;
    private final Guard guard;
    private InputStream in;
    private long position;

    ResumingInputStream(String key, Guard guard, InputStream in) {
      this.key = key;
      this.guard = guard;
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (true) {
        try {
          int n = in.read(b, off, len);
          if (n > 0) {
            position += n;
          }
          return n;
        } catch (InterruptedIOException e) {
          if (Thread.currentThread().isInterrupted()) {
            throw e;
          }
          reopen(e);
        } catch (IOException e) {
          reopen(e);
        }
      }
    }

    private void reopen(IOException cause) throws IOException {
      LOG.infof("object store: reading %s failed at byte %d, resuming: %s", key, position, cause);
      closeQuietly(in);
      long from = position;
      in = call("resume get " + key + " at " + from, guard, () -> store.open(key, from));
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      LOG.debugf("closing a broken download: %s", e.toString());
    }
  }
}
