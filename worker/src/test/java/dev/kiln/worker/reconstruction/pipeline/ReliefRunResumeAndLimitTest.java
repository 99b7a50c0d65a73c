package dev.kiln.worker.reconstruction.pipeline;

import static dev.kiln.worker.reconstruction.pipeline.ReconstructionJobHarness.params;
import static dev.kiln.worker.reconstruction.pipeline.ReconstructionJobHarness.radialGradientPng;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.worker.pipeline.RunOutcome;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReliefRunResumeAndLimitTest {

  private final ReconstructionJobHarness harness = new ReconstructionJobHarness();

  @Test
  void resumedRunRecomputesWhatSkippedStagesHadProducedInMemory() throws Exception {
    // the checkpoint of an earlier run of this attempt says the first five stages completed
    StringBuilder completed = new StringBuilder();
    for (String stage :
        new String[] {
          "fetch_inputs", "preprocess", "reconstruct", "mesh_generation", "simplification"
        }) {
      completed.append(completed.isEmpty() ? "" : ",");
      completed.append("{\"stage\":\"").append(stage).append("\",\"durationMs\":5}");
    }
    harness.store.objects.put(
        "work/" + harness.jobId + "/1/checkpoint.json",
        ("{\"v\":1,\"jobId\":\""
                + harness.jobId
                + "\",\"attempt\":1,\"completed\":["
                + completed
                + "]}")
            .getBytes(StandardCharsets.UTF_8));

    RunOutcome outcome =
        harness.run(
            params().put("quality", "low").put("face_limit", 2_000),
            radialGradientPng(64, 48),
            "image/png");

    assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(harness.events)
        .extracting(JobEvent::payload)
        .filteredOn(EventPayload.StageStarted.class::isInstance)
        .extracting(p -> ((EventPayload.StageStarted) p).stage())
        .as("the runner really skipped the checkpointed stages")
        .containsExactly("texturing", "export", "upload");
    assertThat(ModelFiles.stlFaces(harness.artifact("model.stl"))).isBetween(1_800L, 2_000L);
    assertThat(harness.metadata().path("grid").path("width").asInt()).isEqualTo(64);
  }

  @Test
  void mediumQualityReliefOfA512SquareImageLandsWithinNinetyPercentOfTheAutomaticLimit()
      throws Exception {
    RunOutcome outcome =
        harness.run(params().put("quality", "medium"), radialGradientPng(512, 512), "image/png");

    assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    JsonNode meta = harness.metadata();
    assertThat(meta.path("faceLimit").asInt()).isEqualTo(100_000);
    assertThat(meta.path("grid").path("width").asInt()).isEqualTo(512);
    assertThat(meta.path("mesh").path("facesAfter").asInt()).isBetween(90_000, 100_000);
    assertThat(meta.path("mesh").path("watertight").asBoolean()).isTrue();
    assertThat(meta.path("stageMillis").path("upload").asLong())
        .as("upload time counts the artifacts uploaded before metadata.json")
        .isPositive();
  }
}
