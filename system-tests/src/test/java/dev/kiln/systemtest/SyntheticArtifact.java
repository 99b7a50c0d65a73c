package dev.kiln.systemtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** Downloads {@code synthetic.bin} and checks it against the synthetic job type's byte pattern. */
public final class SyntheticArtifact {

  /** What a download held. */
  public record Download(int status, long size, String sha256, long firstPatternMismatch) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private SyntheticArtifact() {}

  /** Byte k of a synthetic artifact, as the worker's synthetic job type documents it. */
  static int expectedByte(long k) {
    return (int) ((k * 31 + 7) & 0xFF);
  }

  /**
   * GETs {@code url} and streams the body through SHA-256 and the pattern check, so a large
   * artifact is never held in memory.
   */
  public static Download fetch(URI url) {
    try {
      HttpResponse<InputStream> response =
          HTTP.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      long size = 0;
      long mismatch = -1;
      try (InputStream body = response.body()) {
        byte[] buffer = new byte[64 * 1024];
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
          sha256.update(buffer, 0, n);
          for (int i = 0; i < n && mismatch < 0; i++) {
            if ((buffer[i] & 0xFF) != expectedByte(size + i)) {
              mismatch = size + i;
            }
          }
          size += n;
        }
      }
      return new Download(
          response.statusCode(), size, HexFormat.of().formatHex(sha256.digest()), mismatch);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
