package dev.kiln.gateway.hostile;

import dev.kiln.gateway.uploads.TestImages;
import java.nio.charset.StandardCharsets;

/** Uploads for the cases: honest ones, liars and bombs. */
final class TestFiles {

  private TestFiles() {}

  static Calls.Upload text(String name) {
    return new Calls.Upload(name, "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
  }

  static Calls.Upload of(String name, String type, byte[] bytes) {
    return new Calls.Upload(name, type, bytes);
  }

  static Calls.Upload of(String name, String type, String content) {
    return new Calls.Upload(name, type, content.getBytes(StandardCharsets.UTF_8));
  }

  static Calls.Upload png(String name, int width, int height) {
    return new Calls.Upload(name, "image/png", TestImages.png(width, height));
  }
}
