package dev.kiln.worker.synthetic;

import java.io.InputStream;

/**
 * The deterministic content of {@code synthetic.bin}: byte k is {@code (k * 31 + 7) & 0xFF}.
 * Generated on the fly, so a 100 MB artifact costs no memory.
 */
final class SyntheticBytes extends InputStream {

  // why: 31 is odd, so the pattern repeats every 256 bytes; copying from one period is fast
  private static final byte[] PERIOD = new byte[256];

  static {
    for (int k = 0; k < PERIOD.length; k++) {
      PERIOD[k] = byteAt(k);
    }
  }

  private final long size;
  private long position;

  SyntheticBytes(long size) {
    this.size = size;
  }

  static byte byteAt(long k) {
    return (byte) ((k * 31 + 7) & 0xFF);
  }

  @Override
  public int read() {
    if (position >= size) {
      return -1;
    }
    return byteAt(position++) & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(len, size - position);
    int done = 0;
    while (done < n) {
      int from = (int) ((position + done) & 0xFF);
      int chunk = Math.min(n - done, PERIOD.length - from);
      System.arraycopy(PERIOD, from, b, off + done, chunk);
      done += chunk;
    }
    position += n;
    return n;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, size - position);
  }
}
