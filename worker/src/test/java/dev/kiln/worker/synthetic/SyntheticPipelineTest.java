package dev.kiln.worker.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.jobtypes.JobTypeCatalog;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import dev.kiln.model.jobtypes.ParamSpec;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.pipeline.PipelineRunner;
import dev.kiln.worker.pipeline.RunObserver;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.pipeline.RunRequest;
import dev.kiln.worker.pipeline.Stage;
import dev.kiln.worker.storage.RetryingStore;
import dev.kiln.worker.testing.InMemoryObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SyntheticPipelineTest {

  private final SyntheticPipeline pipeline = new SyntheticPipeline();
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final List<JobEvent> events = new ArrayList<>();

  @Test
  void stagesAreNamedStageOneToN() {
    assertThat(pipeline.stages(job(params().put("stages", 4))))
        .extracting(Stage::name)
        .containsExactly("stage-1", "stage-2", "stage-3", "stage-4");
    assertThat(pipeline.stages(job(params().put("stages", 0)))).isEmpty();
  }

  @Test
  void fallbackDefaultsMatchTheDescriptor() {
    JobTypeDescriptor descriptor =
        JobTypeCatalog.fromClasspath().find(SyntheticPipeline.TYPE).orElseThrow();
    Map<String, ParamSpec> specs = descriptor.params();
    SyntheticParams fallback = SyntheticParams.from(params());

    assertThat(fallback.stages()).isEqualTo(defaultOf(specs, "stages").asInt());
    assertThat(fallback.stageMillis()).isEqualTo(defaultOf(specs, "stageMillis").asLong());
    assertThat(fallback.artifactBytes()).isEqualTo(defaultOf(specs, "artifactBytes").asLong());
    assertThat(fallback.failAtStage()).isEqualTo(defaultOf(specs, "failAtStage").asInt());
    assertThat(fallback.failRetryable()).isEqualTo(defaultOf(specs, "failRetryable").asBoolean());
    assertThat(fallback.failCode()).isEqualTo(defaultOf(specs, "failCode").asText());
    assertThat(fallback.failAttempts()).isEqualTo(defaultOf(specs, "failAttempts").asInt());
    assertThat(fallback.crashWorkerAtStage())
        .isEqualTo(defaultOf(specs, "crashWorkerAtStage").asInt());
  }

  @Test
  void lastStageWritesTheDeterministicArtifact() {
    RunOutcome outcome =
        run(params().put("stages", 2).put("stageMillis", 0).put("artifactBytes", 1000), 1);

    assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    byte[] stored = store.objects.get("artifacts/" + jobId + "/synthetic.bin");
    assertThat(stored).hasSize(1000);
    for (int k = 0; k < stored.length; k++) {
      assertThat(stored[k]).isEqualTo((byte) ((k * 31 + 7) & 0xFF));
    }
    assertThat(types())
        .containsExactly(
            "job.started",
            "stage.started",
            "stage.progress",
            "stage.completed",
            "stage.started",
            "artifact.created",
            "stage.progress",
            "stage.completed",
            "job.succeeded");
  }

  @Test
  void zeroArtifactBytesWritesNoArtifact() {
    run(params().put("stages", 1).put("stageMillis", 0).put("artifactBytes", 0), 1);

    assertThat(store.keys("artifacts/")).isEmpty();
    assertThat(types()).doesNotContain("artifact.created").contains("job.succeeded");
  }

  @Test
  void stageReportsTicksWithMovingProgress() {
    run(params().put("stages", 1).put("stageMillis", 250).put("artifactBytes", 0), 1);

    assertThat(events)
        .extracting(JobEvent::payload)
        .filteredOn(EventPayload.StageProgress.class::isInstance)
        .containsExactly(
            new EventPayload.StageProgress("stage-1", 0, 33, "tick 1 of 3"),
            new EventPayload.StageProgress("stage-1", 0, 66, "tick 2 of 3"),
            new EventPayload.StageProgress("stage-1", 0, 100, "tick 3 of 3"));
  }

  @Test
  void injectedFailureStopsTheJobAtTheStartOfThatStage() {
    RunOutcome outcome =
        run(
            params()
                .put("stages", 3)
                .put("stageMillis", 0)
                .put("failAtStage", 3)
                .put("failRetryable", true)
                .put("failCode", "BOOM"),
            5);

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(store.keys("artifacts/")).as("the failing last stage writes nothing").isEmpty();
    assertThat(events.getLast().payload())
        .isEqualTo(
            new EventPayload.JobFailed("BOOM", "injected failure at stage 3", true, "stage-3"));
  }

  @Test
  void failAttemptsInjectsTheFailureOnlyOnTheFirstAttempts() {
    ObjectNode twice =
        params()
            .put("stages", 2)
            .put("stageMillis", 0)
            .put("failAtStage", 2)
            .put("failRetryable", true)
            .put("failAttempts", 2);

    assertThat(run(twice, 1)).isEqualTo(RunOutcome.RETRYING);
    assertThat(run(twice, 2)).isEqualTo(RunOutcome.RETRYING);
    assertThat(run(twice, 3)).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(scheduled).containsExactly(2, 3);
  }

  @Test
  void failAttemptsZeroFailsOnEveryAttempt() {
    ObjectNode always =
        params()
            .put("stages", 1)
            .put("stageMillis", 0)
            .put("failAtStage", 1)
            .put("failAttempts", 0);

    assertThat(run(always, 1)).isEqualTo(RunOutcome.FAILED);
    assertThat(run(always, 4)).isEqualTo(RunOutcome.FAILED);
  }

  @Test
  void everyStageKeepsItsOutputDerivedFromTheJobAndStage() {
    run(params().put("stages", 3).put("stageMillis", 0).put("artifactBytes", 0), 1);

    for (int i = 1; i <= 3; i++) {
      String key = "work/" + jobId + "/1/stage-" + i + "/stage-" + i + ".out";
      assertThat(store.objects.get(key))
          .as(key)
          .hasSize(1024)
          .isEqualTo(SyntheticOutput.of(jobId, "stage-" + i));
    }
    assertThat(SyntheticOutput.of(jobId, "stage-1"))
        .isNotEqualTo(SyntheticOutput.of(jobId, "stage-2"))
        .isNotEqualTo(SyntheticOutput.of(UUID.randomUUID(), "stage-1"));
  }

  @Test
  void lastStageFailsWhenThePredecessorsOutputIsNotWhatItWrote() {
    store.objects.put("work/" + jobId + "/5/stage-1/stage-1.out", new byte[1024]);
    store.objects.put(
        "work/" + jobId + "/5/checkpoint.json",
        ("{\"v\":1,\"jobId\":\""
                + jobId
                + "\",\"attempt\":5,"
                + "\"completed\":[{\"stage\":\"stage-1\",\"durationMs\":5,"
                + "\"outputs\":[\"stage-1.out\"]}]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));

    RunOutcome outcome = run(params().put("stages", 2).put("stageMillis", 0), 5);

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(((EventPayload.JobFailed) events.getLast().payload()).code())
        .isEqualTo("SYNTHETIC_OUTPUT_MISMATCH");
  }

  @Test
  void lastStageFailsRetryablyWhenThePredecessorsOutputIsMissing() {
    store.objects.put(
        "work/" + jobId + "/5/checkpoint.json",
        ("{\"v\":1,\"jobId\":\""
                + jobId
                + "\",\"attempt\":5,"
                + "\"completed\":[{\"stage\":\"stage-1\",\"durationMs\":5}]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));

    RunOutcome outcome = run(params().put("stages", 2).put("stageMillis", 0), 5);

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("STAGE_OUTPUT_MISSING");
    assertThat(failed.retryable()).isTrue();
    assertThat(types()).doesNotContain("artifact.created");
  }

  @Test
  void crashWorkerAtStageHaltsTheWorkerAtTheStartOfThatStageWhenFaultInjectionIsOn() {
    List<String> haltedAt = new ArrayList<>();
    SyntheticPipeline injecting =
        new SyntheticPipeline(
            true,
            () -> {
              haltedAt.add(lastStageStarted());
              throw new IllegalStateException("halted");
            });

    run(injecting, params().put("stages", 3).put("stageMillis", 0).put("crashWorkerAtStage", 2), 1);

    assertThat(haltedAt).containsExactly("stage-2");
    assertThat(store.objects)
        .as("stage 1 completed and was checkpointed before the crash")
        .containsKey("work/" + jobId + "/1/stage-1/stage-1.out");
    assertThat(types()).filteredOn("stage.completed"::equals).hasSize(1);
  }

  @Test
  void crashWorkerAtStageFailsTheJobWhenFaultInjectionIsOff() {
    List<String> haltedAt = new ArrayList<>();
    SyntheticPipeline safe = new SyntheticPipeline(false, () -> haltedAt.add("halted"));

    RunOutcome outcome =
        run(safe, params().put("stages", 3).put("stageMillis", 0).put("crashWorkerAtStage", 2), 1);

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(haltedAt).isEmpty();
    assertThat(events.getLast().payload())
        .isEqualTo(
            new EventPayload.JobFailed(
                "FAULT_INJECTION_DISABLED",
                "crashWorkerAtStage needs a worker with fault injection enabled",
                false,
                "stage-1"));
  }

  @Test
  void syntheticBytesFollowTheFormulaAcrossReadSizes() throws IOException {
    try (SyntheticBytes in = new SyntheticBytes(1_000)) {
      byte[] all = new byte[1_000];
      int off = 0;
      int[] sizes = {1, 7, 255, 256, 300};
      for (int i = 0; off < all.length; i++) {
        int n = in.read(all, off, Math.min(sizes[i % sizes.length], all.length - off));
        off += n;
      }
      assertThat(in.read()).isEqualTo(-1);
      for (int k = 0; k < all.length; k++) {
        assertThat(all[k]).isEqualTo((byte) ((k * 31 + 7) & 0xFF));
      }
    }
  }

  private final UUID jobId = UUID.randomUUID();

  private final List<Integer> scheduled = new ArrayList<>();

  private RunOutcome run(ObjectNode params, int attempt) {
    return run(pipeline, params, attempt);
  }

  private RunOutcome run(SyntheticPipeline pipeline, ObjectNode params, int attempt) {
    PipelineRunner runner =
        new PipelineRunner(
            new RetryingStore(store, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ZERO),
            Duration.ZERO,
            RunObserver.NONE,
            (next, delay) -> scheduled.add(next.attempt()),
            () -> 0.5);
    JobMessage job =
        new JobMessage(
            1,
            jobId,
            "synthetic",
            attempt,
            params,
            List.of(),
            null,
            Instant.now(),
            new ExecutionPolicy(5, 100, 1_000, 60_000));
    return runner.run(new RunRequest(job, "w", 1, () -> false), pipeline, events::add).outcome();
  }

  private JobMessage job(ObjectNode params) {
    return new JobMessage(1, jobId, "synthetic", 1, params, List.of(), null, Instant.now());
  }

  private String lastStageStarted() {
    return events.stream()
        .map(JobEvent::payload)
        .filter(EventPayload.StageStarted.class::isInstance)
        .map(p -> ((EventPayload.StageStarted) p).stage())
        .reduce((a, b) -> b)
        .orElse(null);
  }

  private List<String> types() {
    return events.stream().map(JobEvent::type).toList();
  }

  private static ObjectNode params() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static JsonNode defaultOf(Map<String, ParamSpec> specs, String name) {
    return specs.get(name).defaultValue();
  }
}
