package dev.kiln.worker.pipeline;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;

/**
 * Feeds an upload: hashes and counts the bytes as they pass, stops at the declared size, and aborts
 * the upload when the job is cancelled (a large upload must not delay a cancellation by seconds).
 */
final class UploadStream extends FilterInputStream {

  /** Marks an upload aborted by cancellation, so it is not reported as a store failure. */
  static final class Cancelled extends IOException {
    Cancelled() {
      super("upload aborted: job cancelled", null);
    }
  }

  private final long limit;
  private final BooleanSupplier cancelled;
  private final MessageDigest digest;
  private long count;
  private boolean endedEarly;

  UploadStream(InputStream in, long limit, BooleanSupplier cancelled) {
    super(in);
    this.limit = limit;
    this.cancelled = cancelled;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (cancelled.getAsBoolean()) {
      throw new Cancelled();
    }
    if (count >= limit) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, limit - count));
    if (n < 0) {
      endedEarly = true;
    }
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // why: skipped bytes would be missing from the digest
    throw new IOException("skip is not supported while hashing");
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() {
    // why: the caller owns the underlying stream
  }

  /** The content ended before the declared size: a caller error, not a store failure. */
  boolean endedEarly() {
    return endedEarly;
  }

  long count() {
    return count;
  }

  String sha256Hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
