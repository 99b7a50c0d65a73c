package dev.kiln.worker.reconstruction.pipeline;

import static dev.kiln.worker.reconstruction.pipeline.ReconstructionJobHarness.params;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.reconstruction.depth.DepthFixtures;
import dev.kiln.worker.reconstruction.multiview.Camera;
import dev.kiln.worker.reconstruction.multiview.MultiviewFixtures;
import dev.kiln.worker.reconstruction.multiview.TestShapes;
import dev.kiln.worker.testing.GltfValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Multiview jobs through the real pipeline runner, on views rendered by the test. */
class MultiviewJobTest {

  private static final int VIEWS = 12;
  private static final double[] ELEVATIONS = {30, 0, -30};

  private final ReconstructionJobHarness harness = new ReconstructionJobHarness();

  private static List<ReconstructionJobHarness.Input> sphereViews() {
    List<ReconstructionJobHarness.Input> inputs = new ArrayList<>();
    TestShapes.Shape sphere = new TestShapes.Sphere(60, 0xc03c28);
    for (Camera camera : MultiviewFixtures.ring(VIEWS, ELEVATIONS)) {
      inputs.add(
          new ReconstructionJobHarness.Input(
              "view-" + inputs.size() + ".png",
              DepthFixtures.png(MultiviewFixtures.render(sphere, camera)),
              "image/png"));
    }
    return inputs;
  }

  private static ObjectNode turntable(int angles) {
    ObjectNode p =
        params()
            .put("mode", "multiview")
            .put("quality", "low")
            .put("face_limit", 3_000)
            .put("distance_mm", MultiviewFixtures.DISTANCE)
            .put("fov_deg", MultiviewFixtures.FOV);
    ArrayNode a = p.putArray("angles_deg");
    ArrayNode e = p.putArray("elevations_deg");
    for (int v = 0; v < angles; v++) {
      a.add(360.0 * v / VIEWS);
      e.add(ELEVATIONS[v % ELEVATIONS.length]);
    }
    return p;
  }

  @Test
  void sphereViewsBecomeAWatertightTexturedModelWithinTheFaceLimit() throws Exception {
    RunOutcome outcome = harness.run(turntable(VIEWS), sphereViews());

    assertThat(outcome).as("events %s", harness.events).isEqualTo(RunOutcome.SUCCEEDED);
    JsonNode meta = harness.metadata();
    assertThat(meta.at("/mesh/watertight").asBoolean()).isTrue();
    long faces = ModelFiles.stlFaces(harness.artifact("model.stl"));
    assertThat(faces).isBetween(2_700L, 3_000L);
    assertThat(ModelFiles.objFaces(harness.artifact("model.obj"))).isEqualTo(faces);
    assertThat(ModelFiles.glbFaces(harness.artifact("model.glb"))).isEqualTo(faces);
    assertThat(meta.at("/carving/cameras").asText()).isEqualTo("turntable");
    assertThat(meta.at("/carving/viewsUsedForTexture").asInt()).isBetween(2, VIEWS);
    // a sphere of radius 60 mm: its box is about 120 mm on each side
    for (int axis = 0; axis < 3; axis++) {
      double size =
          meta.at("/boundingBoxMm/max/" + axis).asDouble()
              - meta.at("/boundingBoxMm/min/" + axis).asDouble();
      assertThat(size).isBetween(114.0, 126.0);
    }
    assertThat(harness.artifactNames()).contains("texture.png", "preview.png");
    assertThat(
            harness.progressOf("reconstruct").stream()
                .map(p -> p.progress())
                .collect(Collectors.toSet()))
        .as("carving reports slice by slice")
        .hasSizeGreaterThan(2);
    JsonNode report = GltfValidator.validate(harness.artifact("model.glb"));
    assertThat(report.at("/issues/numErrors").asInt()).as(report.toString()).isZero();
  }

  @Test
  void anglesThatDoNotMatchTheImagesFailAsInvalidParams() {
    RunOutcome outcome = harness.run(turntable(VIEWS - 1), sphereViews());

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(harness.failure().code()).isEqualTo("INVALID_PARAMS");
    assertThat(harness.failure().message()).isEqualTo("angles_deg has 11 entries for 12 images");
  }
}
