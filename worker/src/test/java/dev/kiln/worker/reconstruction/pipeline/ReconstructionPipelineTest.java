package dev.kiln.worker.reconstruction.pipeline;

import static dev.kiln.worker.reconstruction.pipeline.ReconstructionJobHarness.params;
import static dev.kiln.worker.reconstruction.pipeline.ReconstructionJobHarness.radialGradientPng;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.jobtypes.JobTypeCatalog;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.pipeline.Stage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconstructionPipelineTest {

  private static final int FACE_LIMIT = 6_000;

  private final ReconstructionJobHarness harness = new ReconstructionJobHarness();

  @Test
  void stagesAreTheDescribedOnesInOrder() {
    JobTypeDescriptor descriptor =
        JobTypeCatalog.fromClasspath().find(ReconstructionPipeline.TYPE).orElseThrow();
    List<Stage> stages =
        new ReconstructionPipeline()
            .stages(
                new dev.kiln.model.messages.JobMessage(
                    1, harness.jobId, "reconstruction", 1, params(), List.of(), null, null));

    assertThat(stages).extracting(Stage::name).containsExactlyElementsOf(descriptor.stages());
    assertThat(descriptor.stages())
        .containsExactly(
            "fetch_inputs",
            "preprocess",
            "reconstruct",
            "mesh_generation",
            "simplification",
            "texturing",
            "export",
            "upload");
  }

  @Test
  void reliefOfAGradientSucceedsWithEveryArtifact() {
    RunOutcome outcome = harness.run(lowQuality(), radialGradientPng(160, 120), "image/png");

    assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(harness.artifactNames())
        .containsExactlyInAnyOrder(
            "model.glb",
            "model.obj",
            "model.mtl",
            "texture.png",
            "pointcloud.ply",
            "model.stl",
            "preview.png",
            "metadata.json");
    assertThat(harness.artifact("model.glb")).startsWith('g', 'l', 'T', 'F');
    assertThat(harness.artifact("preview.png")).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void jpegPhotoIsReadLikeAPng() throws Exception {
    java.awt.image.BufferedImage image =
        javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(radialGradientPng(160, 120)));
    java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
    assertThat(javax.imageio.ImageIO.write(image, "jpeg", jpeg)).isTrue();

    RunOutcome outcome = harness.run(lowQuality(), jpeg.toByteArray(), "image/jpeg");

    assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    JsonNode meta = harness.metadata();
    assertThat(meta.at("/inputs/0/format").asText()).isEqualTo("jpeg");
    assertThat(meta.at("/inputs/0/width").asInt()).isEqualTo(160);
    assertThat(meta.at("/mesh/watertight").asBoolean()).isTrue();
  }

  @Test
  void everyExportedFormatHoldsAtMostTheLimitAndAtLeastNinetyPercentOfIt() throws Exception {
    harness.run(lowQuality(), radialGradientPng(160, 120), "image/png");

    long stl = ModelFiles.stlFaces(harness.artifact("model.stl"));
    long obj = ModelFiles.objFaces(harness.artifact("model.obj"));
    long glb = ModelFiles.glbFaces(harness.artifact("model.glb"));
    for (long faces : new long[] {stl, obj, glb}) {
      assertThat(faces).isBetween((long) Math.ceil(FACE_LIMIT * 0.9), (long) FACE_LIMIT);
    }
    assertThat(obj).isEqualTo(stl).isEqualTo(glb);
  }

  @Test
  void metadataAgreesWithTheExportedFiles() throws Exception {
    ObjectNode params =
        lowQuality()
            .put("width_mm", 80)
            .put("max_height_mm", 4)
            .put("base_mm", 2)
            .put("smoothing", 0);
    harness.run(params, radialGradientPng(160, 120), "image/png");
    JsonNode meta = harness.metadata();
    JsonNode mesh = meta.path("mesh");

    assertThat(meta.path("mode").asText()).isEqualTo("relief");
    assertThat(meta.path("inputs").path(0).path("width").asInt()).isEqualTo(160);
    assertThat(meta.path("inputs").path(0).path("height").asInt()).isEqualTo(120);
    assertThat(mesh.path("facesAfter").asLong())
        .isEqualTo(ModelFiles.stlFaces(harness.artifact("model.stl")));
    assertThat(mesh.path("verticesAfter").asLong())
        .isEqualTo(ModelFiles.plyVertices(harness.artifact("pointcloud.ply")))
        .isEqualTo(ModelFiles.objVertices(harness.artifact("model.obj")));
    // one vertex per grid pixel on top, so simplification started far above the limit
    assertThat(mesh.path("verticesBefore").asLong()).isGreaterThanOrEqualTo(160 * 120);
    assertThat(mesh.path("facesBefore").asLong()).isGreaterThan(2L * 159 * 119);
    assertThat(mesh.path("maxErrorMm").asDouble()).isPositive().isLessThan(4);
    JsonNode box = meta.path("boundingBoxMm");
    assertThat(box.path("max").path(0).asDouble() - box.path("min").path(0).asDouble())
        .isCloseTo(80, within(1e-3));
    assertThat(box.path("max").path(1).asDouble() - box.path("min").path(1).asDouble())
        .isCloseTo(60, within(1e-3));
    assertThat(box.path("min").path(2).asDouble()).isCloseTo(0, within(1e-6));
    // the brightest grid pixels are ~0.99 luma; simplification may move the summit a little
    assertThat(box.path("max").path(2).asDouble()).isBetween(2.0 + 4 * 0.95, 2.0 + 4.0 + 0.05);
    assertThat(meta.path("stageMillis").fieldNames())
        .toIterable()
        .containsExactly(
            "fetch_inputs",
            "preprocess",
            "reconstruct",
            "mesh_generation",
            "simplification",
            "texturing",
            "export",
            "upload");
  }

  @Test
  void simplificationProgressRisesToCompletion() {
    harness.run(lowQuality(), radialGradientPng(160, 120), "image/png");

    List<Integer> percents =
        harness.progressOf("simplification").stream()
            .map(EventPayload.StageProgress::progress)
            .toList();
    assertThat(percents).isSorted().hasSizeGreaterThan(10).endsWith(100);
    assertThat(percents.stream().distinct().count()).isGreaterThan(10);
  }

  @Test
  void onlyTheRequestedFormatsAreExported() {
    ObjectNode params = lowQuality();
    params.putArray("formats").add("stl").add("ply");

    assertThat(harness.run(params, radialGradientPng(64, 64), "image/png"))
        .isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(harness.artifactNames())
        .containsExactlyInAnyOrder("model.stl", "pointcloud.ply", "preview.png", "metadata.json");
  }

  @Test
  void inputThatIsNotAnImageFailsWithoutRetry() {
    byte[] noise = new byte[4096];
    new Random(42).nextBytes(noise);

    RunOutcome outcome = harness.run(lowQuality(), noise, "image/png");

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(harness.failure().code()).isEqualTo("INPUT_NOT_AN_IMAGE");
    assertThat(harness.failure().retryable()).isFalse();
    assertThat(harness.failure().stage()).isEqualTo("preprocess");
    assertThat(harness.artifactNames()).isEmpty();
  }

  @Test
  void unknownModeFailsWithInvalidParams() {
    RunOutcome outcome =
        harness.run(params().put("mode", "photogrammetry"), radialGradientPng(8, 8), "image/png");

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(harness.failure().code()).isEqualTo("INVALID_PARAMS");
    assertThat(harness.failure().retryable()).isFalse();
  }

  private static ObjectNode lowQuality() {
    return params().put("mode", "relief").put("quality", "low").put("face_limit", FACE_LIMIT);
  }
}
