package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.fixtures.ReconstructionImages;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.json.KilnJson;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reconstruction jobs as an image-to-3D app submits them: images uploaded to the gateway process, a
 * worker process builds the model, the client follows the SSE stream and downloads the files.
 */
@ExtendWith(ProcessLogsOnFailure.class)
class ReconstructionSystemTest {

  @RegisterExtension
  static final ClusterPerClass CLUSTER = ClusterPerClass.of(c -> c.gateways(1).workers(1));

  private static final Duration JOB_END = Duration.ofSeconds(90);
  private static final double FOV = 40;
  private static final double RADIUS = 60;
  private static final double DISTANCE = 300;

  @Test
  void uploadedImageBecomesAReliefWhoseFilesHonourTheFaceLimit() throws Exception {
    KilnApi.Response accepted =
        CLUSTER
            .api()
            .postMultipart(
                "/api/v1/jobs",
                "{\"type\":\"reconstruction\",\"params\":{\"mode\":\"relief\",\"quality\":\"medium\","
                    + "\"face_limit\":3000}}",
                List.of(new KilnApi.Upload("dome.png", "image/png", dome(640, 480))));
    assertThat(accepted.status()).as("submit: %s", accepted).isEqualTo(202);
    UUID id = UUID.fromString(accepted.json().path("id").asText());

    List<Event> events;
    try (SseClient stream = CLUSTER.api().jobEvents(id, null)) {
      events = Event.of(stream.untilEnd(JOB_END));
    }

    assertThat(events.getLast().type()).as("events: %s", events).isEqualTo("job.succeeded");
    Set<Integer> simplification =
        events.stream()
            .filter(e -> e.type().equals("stage.progress"))
            .filter(e -> e.payload().path("stage").asText().equals("simplification"))
            .map(e -> e.payload().path("progress").asInt())
            .collect(Collectors.toSet());
    assertThat(simplification).as("the decimation's progress moves").hasSizeGreaterThan(2);
    JsonNode job = CLUSTER.api().job(id);
    assertThat(
            StreamSupport.stream(job.path("artifacts").spliterator(), false)
                .map(a -> a.path("name").asText()))
        .containsExactlyInAnyOrder(
            "model.glb",
            "model.obj",
            "model.mtl",
            "texture.png",
            "pointcloud.ply",
            "model.stl",
            "preview.png",
            "metadata.json");
    assertThat(job.at("/links/thumbnail").asText())
        .isEqualTo("/api/v1/jobs/" + id + "/artifacts/preview.png");
    BufferedImage preview =
        ImageIO.read(new java.io.ByteArrayInputStream(CLUSTER.api().download(id, "preview.png")));
    assertThat(preview.getWidth()).isEqualTo(512);
    byte[] stl = CLUSTER.api().download(id, "model.stl");
    long stlFaces = ByteBuffer.wrap(stl, 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    assertThat(stl).hasSize((int) (84 + 50 * stlFaces));
    assertThat(stlFaces).isBetween(2_700L, 3_000L);
    JsonNode metadata = KilnJson.mapper().readTree(CLUSTER.api().download(id, "metadata.json"));
    assertThat(metadata.at("/mesh/facesAfter").asLong()).isEqualTo(stlFaces);
    assertThat(metadata.at("/mesh/watertight").asBoolean()).isTrue();
    byte[] glb = CLUSTER.api().download(id, "model.glb");
    assertThat(ByteBuffer.wrap(glb).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(0x46546C67);
  }

  @Test
  void twelvePhotosOfASphereBecomeOneWatertightMultiviewModelOfItsSize() throws Exception {
    List<KilnApi.Upload> views = new java.util.ArrayList<>();
    StringBuilder angles = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      views.add(
          new KilnApi.Upload(
              "view-" + i + ".png",
              "image/png",
              ReconstructionImages.sphereView(320, 240, FOV, RADIUS, DISTANCE, i)));
      angles.append(i == 0 ? "" : ",").append(i * 30);
    }
    KilnApi.Response accepted =
        CLUSTER
            .api()
            .postMultipart(
                "/api/v1/jobs",
                "{\"type\":\"reconstruction\",\"params\":{\"mode\":\"multiview\",\"quality\":\"low\","
                    + "\"angles_deg\":["
                    + angles
                    + "],\"distance_mm\":"
                    + DISTANCE
                    + ",\"fov_deg\":"
                    + FOV
                    + "}}",
                views);
    assertThat(accepted.status()).as("submit: %s", accepted).isEqualTo(202);
    UUID id = UUID.fromString(accepted.json().path("id").asText());

    JsonNode job = CLUSTER.api().awaitStatus(id, "succeeded", JOB_END);

    assertThat(job.path("inputs")).hasSize(12);
    JsonNode metadata = KilnJson.mapper().readTree(CLUSTER.api().download(id, "metadata.json"));
    assertThat(metadata.at("/mesh/watertight").asBoolean()).isTrue();
    // seen only from the turntable plane, the hull of a sphere still spans its diameter sideways
    for (int axis = 0; axis < 2; axis++) {
      double size =
          metadata.at("/boundingBoxMm/max/" + axis).asDouble()
              - metadata.at("/boundingBoxMm/min/" + axis).asDouble();
      assertThat(size).isBetween(2 * RADIUS * 0.95, 2 * RADIUS * 1.05);
    }
    assertThat(CLUSTER.api().download(id, "texture.png")).isNotEmpty();
  }

  @Test
  void aBatchOfColourAndDepthPairsMakesOneDepthModelPerPair() throws Exception {
    byte[] colour = ReconstructionImages.sphereView(160, 120, FOV, RADIUS, DISTANCE, 0);
    byte[] depth = ReconstructionImages.sphereDepth(160, 120, FOV, RADIUS, DISTANCE);
    KilnApi.Response accepted =
        CLUSTER
            .api()
            .postMultipart(
                "/api/v1/batches",
                "{\"type\":\"reconstruction\",\"params\":{\"mode\":\"depth\",\"quality\":\"low\","
                    + "\"fov_deg\":"
                    + FOV
                    + "}}",
                List.of(
                    new KilnApi.Upload("a.png", "image/png", colour),
                    new KilnApi.Upload("a.depth.png", "image/png", depth),
                    new KilnApi.Upload("b.png", "image/png", colour),
                    new KilnApi.Upload("b.depth.png", "image/png", depth)));
    assertThat(accepted.status()).as("batch: %s", accepted).isEqualTo(202);
    assertThat(accepted.json().path("jobCount").asInt()).isEqualTo(2);

    for (JsonNode jobId : accepted.json().path("jobIds")) {
      UUID id = UUID.fromString(jobId.asText());
      CLUSTER.api().awaitStatus(id, "succeeded", JOB_END);
      JsonNode metadata = KilnJson.mapper().readTree(CLUSTER.api().download(id, "metadata.json"));
      byte[] ply = CLUSTER.api().download(id, "pointcloud.ply");
      String header = new String(ply, 0, 200, java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(header)
          .contains("element vertex " + metadata.at("/depth/validPixels").asLong() + "\n");
      assertThat(metadata.at("/depth/validPixels").asLong()).isPositive();
    }
  }

  /** A grey dome: bright centre, dark corners. */
  static byte[] dome(int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double rMax = Math.hypot(w / 2.0, h / 2.0);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = (int) Math.round(255 * (1 - Math.hypot(x - w / 2.0, y - h / 2.0) / rMax));
        img.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
