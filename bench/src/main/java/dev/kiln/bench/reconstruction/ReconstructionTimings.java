package dev.kiln.bench.reconstruction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.fixtures.ReconstructionImages;
import dev.kiln.model.json.KilnJson;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Times reconstruction jobs on a running Kiln, the way a client sees them: from the upload until
 * the job reads {@code succeeded}, plus each stage's time from the job's metadata.json.
 *
 * <p>Workloads are the targets: a 2-megapixel relief at face_limit 100k (default quality
 * medium: a 512 px grid; {@code relief-high}: 1024 px), multiview from 24 views at 640x480 (quality
 * medium), and a 640x480 depth map (quality medium).
 *
 * <p>Usage: {@code ReconstructionTimings [--gateway URL] [--runs N] [--modes
 * relief,multiview,depth]} with an API key that may submit in {@code KILN_API_KEY}.
 */
public final class ReconstructionTimings {

  private static final ObjectMapper JSON = KilnJson.mapper();
  private static final double FOV = 40;
  private static final double RADIUS_MM = 60;
  private static final double DISTANCE_MM = 300;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
  private final String gateway;
  private final String key;

  private record Upload(String name, String contentType, byte[] bytes) {}

  private record Workload(String label, String jobJson, List<Upload> uploads) {}

  private ReconstructionTimings(String gateway, String key) {
    this.gateway = gateway;
    this.key = key;
  }

  public static void main(String[] args) throws Exception {
    String gateway = "http://127.0.0.1:8080";
    int runs = 3;
    List<String> modes = List.of("relief", "multiview", "depth");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--gateway" -> gateway = args[i + 1];
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--modes" -> modes = List.of(args[i + 1].split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String key = System.getenv("KILN_API_KEY");
    if (key == null || key.isBlank()) {
      throw new IllegalStateException("set KILN_API_KEY to a submitter or admin key");
    }
    ReconstructionTimings bench = new ReconstructionTimings(gateway, key);
    for (String mode : modes) {
      Workload w = workload(mode);
      for (int run = 1; run <= runs; run++) {
        bench.time(w, run);
      }
    }
  }

  private static Workload workload(String mode) throws Exception {
    return switch (mode) {
      case "relief" -> relief("medium");
      case "relief-high" -> relief("high");
      case "multiview" -> {
        List<Upload> views = new ArrayList<>();
        StringBuilder angles = new StringBuilder();
        for (int i = 0; i < 24; i++) {
          views.add(
              new Upload(
                  String.format(Locale.ROOT, "view-%02d.png", i),
                  "image/png",
                  ReconstructionImages.sphereView(640, 480, FOV, RADIUS_MM, DISTANCE_MM, i)));
          angles.append(i == 0 ? "" : ",").append(i * 15);
        }
        yield new Workload(
            "multiview 24 views 640x480, quality medium",
            job(
                "{\"mode\":\"multiview\",\"quality\":\"medium\",\"angles_deg\":["
                    + angles
                    + "],\"distance_mm\":"
                    + DISTANCE_MM
                    + ",\"fov_deg\":"
                    + FOV
                    + "}"),
            views);
      }
      case "depth" ->
          new Workload(
              "depth 640x480 16-bit, quality medium",
              job("{\"mode\":\"depth\",\"quality\":\"medium\",\"fov_deg\":" + FOV + "}"),
              List.of(
                  new Upload(
                      "sphere.png",
                      "image/png",
                      ReconstructionImages.sphereView(640, 480, FOV, RADIUS_MM, DISTANCE_MM, 0)),
                  new Upload(
                      "sphere.depth.png",
                      "image/png",
                      ReconstructionImages.sphereDepth(640, 480, FOV, RADIUS_MM, DISTANCE_MM))));
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    };
  }

  private static Workload relief(String quality) throws Exception {
    return new Workload(
        "relief 1732x1155 (2.0 MP), quality " + quality + ", face_limit 100000",
        job("{\"mode\":\"relief\",\"quality\":\"" + quality + "\",\"face_limit\":100000}"),
        List.of(new Upload("ripples.png", "image/png", ReconstructionImages.ripples(1732, 1155))));
  }

  private static String job(String params) {
    return "{\"type\":\"reconstruction\",\"params\":" + params + "}";
  }

  private void time(Workload w, int run) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> accepted = submit(w);
    if (accepted.statusCode() != 202) {
      throw new IllegalStateException(
          "submit answered " + accepted.statusCode() + ": " + accepted.body());
    }
    UUID id = UUID.fromString(JSON.readTree(accepted.body()).path("id").asText());
    JsonNode job;
    while (true) {
      job = JSON.readTree(get("/api/v1/jobs/" + id).body());
      String status = job.path("status").asText();
      if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) {
        break;
      }
      Thread.sleep(50);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (!job.path("status").asText().equals("succeeded")) {
      throw new IllegalStateException(
          "job " + id + " ended " + job.path("status") + ": " + job.path("error"));
    }
    JsonNode meta = JSON.readTree(get("/api/v1/jobs/" + id + "/artifacts/metadata.json").body());
    System.out.printf(
        Locale.ROOT,
        "%s, run %d: %.2f s from upload to succeeded; faces %d -> %d; stages %s%n",
        w.label(),
        run,
        millis / 1000.0,
        meta.at("/mesh/facesBefore").asLong(),
        meta.at("/mesh/facesAfter").asLong(),
        meta.path("stageMillis"));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway + path))
            .header("Authorization", "Bearer " + key)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> submit(Workload w) throws Exception {
    String boundary = "kiln-bench-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeText(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"job\"\r\n");
    writeText(body, "Content-Type: application/json\r\n\r\n" + w.jobJson() + "\r\n");
    for (Upload u : w.uploads()) {
      writeText(
          body,
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
              + u.name()
              + "\"\r\nContent-Type: "
              + u.contentType()
              + "\r\n\r\n");
      body.writeBytes(u.bytes());
      writeText(body, "\r\n");
    }
    writeText(body, "--" + boundary + "--\r\n");
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway + "/api/v1/jobs"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void writeText(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
