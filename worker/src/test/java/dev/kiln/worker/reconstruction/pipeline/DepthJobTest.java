package dev.kiln.worker.reconstruction.pipeline;

import static dev.kiln.worker.reconstruction.pipeline.ReconstructionJobHarness.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.reconstruction.depth.DepthFixtures;
import dev.kiln.worker.reconstruction.depth.Intrinsics;
import dev.kiln.worker.testing.GltfValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Depth-mode jobs through the real pipeline runner. */
class DepthJobTest {

  private static final int W = 128;
  private static final int H = 96;
  private static final Intrinsics K = new Intrinsics(110, 110, 63.5, 47.5);

  private final ReconstructionJobHarness harness = new ReconstructionJobHarness();

  private static float[] sphere() {
    return DepthFixtures.sphere(W, H, K, new double[] {0, 0, 600}, 200);
  }

  private static ObjectNode depthParams() {
    return params()
        .put("mode", "depth")
        .put("quality", "low")
        .put("face_limit", 2_000)
        .put("fx", K.fx())
        .put("fy", K.fy())
        .put("cx", K.cx())
        .put("cy", K.cy());
  }

  private static ReconstructionJobHarness.Input colour() {
    return new ReconstructionJobHarness.Input(
        "sphere.png", DepthFixtures.png(DepthFixtures.distinctColours(W, H)), "image/png");
  }

  private static ReconstructionJobHarness.Input depthMap() {
    return new ReconstructionJobHarness.Input(
        "sphere.depth.png", DepthFixtures.png16(W, H, sphere()), "image/png");
  }

  @Test
  void sphereBecomesAPointPerValidPixelAndAMeshWithinTheFaceLimit() throws Exception {
    RunOutcome outcome = harness.run(depthParams(), List.of(colour(), depthMap()));

    assertThat(outcome).as("events %s", harness.events).isEqualTo(RunOutcome.SUCCEEDED);
    long valid = 0;
    for (float d : sphere()) {
      valid += Float.isNaN(d) ? 0 : 1;
    }
    JsonNode meta = harness.metadata();
    assertThat(meta.path("mode").asText()).isEqualTo("depth");
    assertThat(meta.at("/depth/validPixels").asLong()).isEqualTo(valid);
    assertThat(ModelFiles.plyVertices(harness.artifact("pointcloud.ply"))).isEqualTo(valid);
    long faces = ModelFiles.stlFaces(harness.artifact("model.stl"));
    assertThat(faces).isBetween(1_800L, 2_000L);
    assertThat(ModelFiles.glbFaces(harness.artifact("model.glb"))).isEqualTo(faces);
    assertThat(meta.at("/mesh/facesBefore").asLong()).isGreaterThan(faces);
    assertThat(meta.at("/inputs/0/role").asText()).isEqualTo("colour");
    assertThat(harness.progressOf("reconstruct")).isNotEmpty();
    JsonNode report = GltfValidator.validate(harness.artifact("model.glb"));
    assertThat(report.at("/issues/numErrors").asInt()).as(report.toString()).isZero();
  }

  @Test
  void depthMapIsFoundByItsNameWhateverItsPosition() throws Exception {
    RunOutcome outcome = harness.run(depthParams(), List.of(depthMap(), colour()));

    assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(harness.metadata().at("/inputs/1/name").asText()).isEqualTo("sphere.depth.png");
    assertThat(harness.metadata().at("/inputs/1/role").asText()).isEqualTo("depth");
  }

  @Test
  void colourImageSentAsTheDepthMapFailsWithoutRetryNamingTheInput() {
    ReconstructionJobHarness.Input notDepth =
        new ReconstructionJobHarness.Input(
            "other.png", DepthFixtures.png(DepthFixtures.distinctColours(W, H)), "image/png");

    RunOutcome outcome = harness.run(depthParams(), List.of(colour(), notDepth));

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(harness.failure().code()).isEqualTo("INVALID_DEPTH_MAP");
    assertThat(harness.failure().retryable()).isFalse();
    assertThat(harness.failure().message()).startsWith("depth map other.png: ");
  }

  @Test
  void eightBitMapWithoutItsRangeFailsAsInvalidParamsOfTheDepthMap() {
    int[] levels = new int[W * H];
    java.util.Arrays.fill(levels, 128);
    RunOutcome outcome =
        harness.run(
            depthParams(),
            List.of(
                colour(),
                new ReconstructionJobHarness.Input(
                    "depth.png", DepthFixtures.png8(W, H, levels), "image/png")));

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(harness.failure().code()).isEqualTo("INVALID_DEPTH_MAP");
    assertThat(harness.failure().message()).contains("near_mm");
  }
}
