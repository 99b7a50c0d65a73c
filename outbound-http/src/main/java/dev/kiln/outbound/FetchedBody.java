package dev.kiln.outbound;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * The body of a fetched URL. Enforces the limits while it is read: at most {@code maxBytes}, no
 * later than the deadline, and exactly the {@code Content-Length} the server announced (a shorter
 * body is a cut-off transfer, not a complete input). Every failure is a {@link FetchException}.
 */
public final class FetchedBody extends FilterInputStream {

  private final String host;
  private final String contentType;
  private final long contentLength;
  private final long maxBytes;
  private final long deadlineNanos;
  private final LongSupplier clock;
  private final Runnable disconnect;
  private long count;

  FetchedBody(
      InputStream in,
      String host,
      String contentType,
      long contentLength,
      long maxBytes,
      long deadlineNanos,
      LongSupplier clock,
      Runnable disconnect) {
    super(in);
    this.host = host;
    this.contentType = contentType;
    this.contentLength = contentLength;
    this.maxBytes = maxBytes;
    this.deadlineNanos = deadlineNanos;
    this.clock = clock;
    this.disconnect = disconnect;
  }

  /** The media type the server declared, or null. */
  public String contentType() {
    return contentType;
  }

  /** The length the server declared, or -1 when it did not. */
  public long contentLength() {
    return contentLength;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (clock.getAsLong() - deadlineNanos > 0) {
      throw FetchException.timedOut("fetching from " + host + " took too long", null);
    }
    // why: one byte more than allowed proves the body too large without buffering it
    int want = (int) Math.min(len, maxBytes - count + 1);
    int n;
    try {
      n = super.read(b, off, Math.max(want, 1));
    } catch (FetchException e) {
      throw e;
    } catch (java.net.SocketTimeoutException e) {
      throw FetchException.timedOut("reading from " + host + " timed out", e);
    } catch (IOException e) {
      throw new FetchException(
          FetchException.Kind.TRANSIENT, "the connection to " + host + " failed", e);
    }
    if (n < 0) {
      if (contentLength >= 0 && count < contentLength) {
        throw new FetchException(
            FetchException.Kind.TRANSIENT, "the response from " + host + " was cut off");
      }
      return -1;
    }
    count += n;
    if (count > maxBytes) {
      throw new FetchException(
          FetchException.Kind.TOO_LARGE,
          "the response from " + host + " is larger than " + maxBytes + " bytes");
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // why: through read, so skipped bytes count against the cap and the deadline too
    byte[] buf = new byte[(int) Math.clamp(n, 0, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } catch (IOException e) {
      // why: the body is complete or abandoned; a failing close changes nothing for the stage
    } finally {
      disconnect.run();
    }
  }
}
