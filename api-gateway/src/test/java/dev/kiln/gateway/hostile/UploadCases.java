package dev.kiln.gateway.hostile;

import static dev.kiln.gateway.hostile.Calls.uploadBatch;
import static dev.kiln.gateway.hostile.Calls.uploadJob;
import static dev.kiln.gateway.hostile.HostileCase.field;

import dev.kiln.gateway.uploads.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Uploads that lie about what they are, images that would decode to gigabytes, and uploads over the
 * caps. Each must be refused before anything reaches the object store.
 */
public class UploadCases implements HostileCaseSource {

  private static final String INVALID = "VALIDATION_FAILED";
  private static final String MISMATCH = "INPUT_CONTENT_MISMATCH";
  private static final byte[] HTML =
      "<!doctype html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8);

  @Override
  public List<HostileCase> cases(HostileFixtures fixtures) {
    List<HostileCase> c = new ArrayList<>();
    fakes(c);
    bombs(c);
    return c;
  }

  private static void fakes(List<HostileCase> c) {
    String cat = "uploads";
    Object[][] fakes = {
      {"text declared image/png", TestFiles.of("x.png", "image/png", "not a png")},
      {
        "text named .png, declared octet-stream",
        TestFiles.of("x.png", "application/octet-stream", "hi")
      },
      {"PNG declared image/jpeg", TestFiles.of("x.jpg", "image/jpeg", TestImages.png(1, 1))},
      {"HTML declared image/gif", TestFiles.of("a.gif", "image/gif", HTML)},
      {"HTML named .jpg without type", TestFiles.of("a.jpg", "application/octet-stream", HTML)},
      {"PDF declared text/plain", TestFiles.of("a.txt", "text/plain", "%PDF-1.7\n%\u00e2")},
      {
        "zip declared application/pdf",
        TestFiles.of("a.pdf", "application/pdf", new byte[] {'P', 'K', 3, 4, 0, 0})
      },
      {
        "GIF polyglot declared text/html",
        TestFiles.of("a.html", "text/html", "GIF89a<script>alert(1)</script>")
      },
      {
        "JPEG named .png",
        TestFiles.of("photo.png", "application/octet-stream", TestImages.jpeg(1, 1, 0, 0))
      },
      {"empty file declared image/png", TestFiles.of("x.png", "image/png", new byte[0])},
      {"binary declared text/plain", TestFiles.of("x.txt", "text/plain", new byte[] {0, 1, 2, 3})},
      {"PNG named .webp", TestFiles.of("x.webp", "image/png", TestImages.png(1, 1))},
      {
        "WebP declared image/png", TestFiles.of("x.png", "image/png", TestImages.webpLossless(1, 1))
      },
      {"glb declared model/gltf+json", TestFiles.of("m.gltf", "model/gltf+json", "glTF\2\0\0\0")},
      {"text declared model/gltf-binary", TestFiles.of("m.glb", "model/gltf-binary", "{}")},
    };
    for (Object[] f : fakes) {
      c.add(
          field(
              cat,
              (String) f[0],
              uploadJob((Calls.Upload) f[1]),
              400,
              INVALID,
              "files[0]",
              MISMATCH));
    }
    c.add(
        field(
            cat,
            "an honest file then a fake one",
            uploadJob(TestFiles.png("a.png", 1, 1), TestFiles.of("b.png", "image/png", "fake")),
            400,
            INVALID,
            "files[1]",
            MISMATCH));
    c.add(
        field(
            cat,
            "batch upload with a fake PNG",
            uploadBatch(TestFiles.text("a.txt"), TestFiles.of("b.png", "image/png", HTML)),
            400,
            INVALID,
            "files[1]",
            MISMATCH));
    Object[][] broken = {
      {"truncated PNG header", Arrays.copyOf(TestImages.png(10, 10), 20)},
      {"PNG of zero width", TestImages.png(0, 10)},
      {
        "JPEG without frame header", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9}
      },
    };
    for (Object[] b : broken) {
      String name = (String) b[0];
      String file = name.contains("JPEG") ? "x.jpg" : "x.png";
      String type = name.contains("JPEG") ? "image/jpeg" : "image/png";
      c.add(
          field(
              cat,
              name,
              uploadJob(TestFiles.of(file, type, (byte[]) b[1])),
              400,
              INVALID,
              "files[0]",
              "INVALID_IMAGE"));
    }
  }

  private static void bombs(List<HostileCase> c) {
    String cat = "images";
    Object[][] bombs = {
      {"PNG of 100,000 x 100,000", TestFiles.png("bomb.png", 100_000, 100_000)},
      {"PNG of 20,001 x 1 (side cap)", TestFiles.png("wide.png", 20_001, 1)},
      {"PNG of 8,000 x 6,000 (48 MP)", TestFiles.png("big.png", 8_000, 6_000)},
      {
        "PNG of 4 G x 4 G",
        TestFiles.of("x.png", "image/png", TestImages.png(0xffffffffL, 0xffffffffL))
      },
      {
        "JPEG of 30,000 x 30,000 after APP segments",
        TestFiles.of("b.jpg", "image/jpeg", TestImages.jpeg(30_000, 30_000, 3, 60_000))
      },
      {
        "GIF of 65,535 x 65,535", TestFiles.of("b.gif", "image/gif", TestImages.gif(65_535, 65_535))
      },
      {
        "WebP VP8X of 16 M x 16 M",
        TestFiles.of("b.webp", "image/webp", TestImages.webpExtended(16_000_000, 16_000_000))
      },
      {
        "WebP VP8L of 16,384 x 16,384",
        TestFiles.of("b.webp", "image/webp", TestImages.webpLossless(16_384, 16_384))
      },
      {
        "WebP VP8 of 16,383 x 16,383",
        TestFiles.of("b.webp", "image/webp", TestImages.webpLossy(16_383, 16_383))
      },
      {
        "TIFF of 70,000 x 70,000",
        TestFiles.of("b.tif", "image/tiff", TestImages.tiff(70_000, 70_000, false))
      },
      {
        "PNG bomb sent as octet-stream",
        TestFiles.of("data.bin", "application/octet-stream", TestImages.png(100_000, 100_000))
      },
    };
    for (Object[] b : bombs) {
      c.add(
          field(
              cat,
              (String) b[0],
              uploadJob((Calls.Upload) b[1]),
              413,
              "IMAGE_TOO_LARGE",
              "files[0]",
              "IMAGE_TOO_LARGE"));
    }
    c.add(
        field(
            cat,
            "batch upload with a bomb among honest images",
            uploadBatch(
                TestFiles.png("a.png", 10, 10),
                TestFiles.png("b.png", 100_000, 100_000),
                TestFiles.png("c.png", 10, 10)),
            413,
            "IMAGE_TOO_LARGE",
            "files[1]",
            "IMAGE_TOO_LARGE"));
  }
}
