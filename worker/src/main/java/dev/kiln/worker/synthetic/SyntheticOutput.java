package dev.kiln.worker.synthetic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The output each synthetic stage keeps, {@code stage-N.out}: 1 KiB derived from the job id and the
 * stage name (32 SHA-256 blocks), so the last stage can tell the output it reads is the one its
 * predecessor wrote for this very job.
 */
final class SyntheticOutput {

  static final int SIZE = 1024;

  private SyntheticOutput() {}

  static String name(int stage) {
    return "stage-" + stage + ".out";
  }

  static byte[] of(UUID jobId, String stage) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    byte[] out = new byte[SIZE];
    for (int block = 0; block < SIZE / 32; block++) {
      byte[] digest =
          sha.digest((jobId + "/" + stage + "/" + block).getBytes(StandardCharsets.UTF_8));
      System.arraycopy(digest, 0, out, block * 32, 32);
    }
    return out;
  }
}
