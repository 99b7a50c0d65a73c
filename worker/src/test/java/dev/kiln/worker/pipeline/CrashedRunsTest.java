package dev.kiln.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.storage.RetryingStore;
import dev.kiln.worker.testing.FlakyObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Runs of redelivered messages that die with their worker are counted in the object store, and an
 * attempt whose runs keep dying is dead-lettered as a poison message. A crash is simulated by an
 * {@link OutOfMemoryError}, which the runner lets through like a dying process.
 */
class CrashedRunsTest {

  private final FlakyObjectStore store = new FlakyObjectStore();
  private final List<JobEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger stageRuns = new AtomicInteger();
  private final AtomicBoolean abandoned = new AtomicBoolean();
  private final UUID jobId = UUID.randomUUID();
  private final PipelineRunner runner =
      new PipelineRunner(
          new RetryingStore(
              store, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(200)),
          Duration.ZERO,
          new RunObserver() {
            @Override
            public void stageCompleted(String jobType, String stage, Duration took) {}

            @Override
            public void retryScheduled(String jobType) {}

            @Override
            public void timedOut(String jobType) {}
          },
          (next, delay) -> {},
          () -> 0.0);

  @Test
  void firstDeliveryThatDiesLeavesNoCrashRecord() {
    assertThatThrownBy(() -> run(false, crashing())).isInstanceOf(OutOfMemoryError.class);

    assertThat(runner.crashedRuns(job(1))).isZero();
  }

  @Test
  void redeliveredRunThatDiesIsCountedAndOneThatEndsLeavesNothing() {
    assertThatThrownBy(() -> run(true, crashing())).isInstanceOf(OutOfMemoryError.class);
    assertThat(runner.crashedRuns(job(1))).isEqualTo(1);

    RunResult result = run(true, working());
    runner.complete(result);

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(store.keys("work/" + jobId + "/")).containsExactly(work(1) + "done.json");
  }

  @Test
  void redeliveredRunStoppedInAnOrderlyWayIsNoCrash() {
    RunResult result =
        run(
            true,
            pipelineOf(
                ctx -> {
                  abandoned.set(true);
                  ctx.progress(10, "shutting down");
                }));

    assertThat(result.disposition()).isEqualTo(Disposition.REQUEUE);
    assertThat(runner.crashedRuns(job(1))).isZero();
  }

  @Test
  void attemptWhoseRedeliveredRunsDieTwiceIsDeadLetteredWithoutRunningAgain() {
    assertThatThrownBy(() -> run(true, crashing())).isInstanceOf(OutOfMemoryError.class);
    assertThatThrownBy(() -> run(true, crashing())).isInstanceOf(OutOfMemoryError.class);
    int stagesBefore = stageRuns.get();

    RunResult result = run(true, crashing());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.disposition()).isEqualTo(Disposition.DEAD_LETTER);
    assertThat(stageRuns.get()).isEqualTo(stagesBefore);
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo(PipelineRunner.POISON_MESSAGE);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.message()).contains("2 redelivered runs");
  }

  @Test
  void crashedRunsOfAnEarlierAttemptCountForTheNextOne() {
    assertThatThrownBy(() -> run(true, crashing(), job(1))).isInstanceOf(OutOfMemoryError.class);
    assertThatThrownBy(() -> run(true, crashing(), job(2))).isInstanceOf(OutOfMemoryError.class);

    RunResult result = run(true, crashing(), job(2));

    assertThat(result.disposition()).isEqualTo(Disposition.DEAD_LETTER);
    assertThat(((EventPayload.JobFailed) events.getLast().payload()).code())
        .isEqualTo(PipelineRunner.POISON_MESSAGE);
  }

  @Test
  void deliveryOfAnAttemptTheGatewayReplacedIsAckedWithoutRunning() throws Exception {
    store.put(
        dev.kiln.model.storage.WorkArea.supersededKey(jobId, 1),
        new java.io.ByteArrayInputStream(new byte[0]),
        0,
        "application/octet-stream");

    RunResult result = run(true, working());
    runner.complete(result);

    assertThat(result.outcome()).isEqualTo(RunOutcome.DUPLICATE);
    assertThat(result.disposition()).isEqualTo(Disposition.ACK);
    assertThat(stageRuns.get()).isZero();
    assertThat(events).isEmpty();
    assertThat(store.keys(work(1))).contains(work(1) + "superseded");
  }

  @Test
  void duplicateOfADeadLetteredAttemptIsDeadLetteredAgain() {
    RunResult last =
        run(
            false,
            pipelineOf(
                ctx -> {
                  throw new StageFailure("FLAKY", "again", true);
                }),
            job(3));
    runner.complete(last);
    assertThat(last.disposition()).isEqualTo(Disposition.DEAD_LETTER);

    RunResult duplicate = run(true, working(), job(3));

    assertThat(duplicate.outcome()).isEqualTo(RunOutcome.DUPLICATE);
    assertThat(duplicate.disposition()).isEqualTo(Disposition.DEAD_LETTER);
  }

  @Test
  void runResumingAfterAStageAnnouncesTheArtifactsItsUnpublishedPredecessorWrote() {
    byte[] bytes = {1, 2, 3};
    Stage writer =
        stage(
            "write",
            ctx ->
                ctx.writeArtifact(
                    "out.bin", null, () -> new java.io.ByteArrayInputStream(bytes), 3));
    boolean[] crash = {true};
    Stage after =
        stage(
            "after",
            ctx -> {
              if (crash[0]) {
                throw new OutOfMemoryError("simulated: the worker process dies");
              }
            });
    assertThatThrownBy(() -> run(false, pipelineOf(writer, after)))
        .isInstanceOf(OutOfMemoryError.class);
    // the first run's events never reached the broker
    events.clear();
    crash[0] = false;

    RunResult result = run(true, pipelineOf(writer, after));

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(events)
        .extracting(e -> e.payload())
        .filteredOn(p -> p instanceof EventPayload.ArtifactCreated)
        .extracting(p -> ((EventPayload.ArtifactCreated) p).name())
        .containsExactly("out.bin");
  }

  private static Stage stage(String name, Body body) {
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void run(StageContext ctx) throws Exception {
        body.run(ctx);
      }
    };
  }

  private static JobPipeline pipelineOf(Stage... stages) {
    return new JobPipeline() {
      @Override
      public String type() {
        return "test";
      }

      @Override
      public List<Stage> stages(JobMessage job) {
        return List.of(stages);
      }
    };
  }

  // --- helpers --------------------------------------------------------------------------------

  private interface Body {
    void run(StageContext ctx) throws Exception;
  }

  private RunResult run(boolean redelivered, JobPipeline pipeline) {
    return run(redelivered, pipeline, job(1));
  }

  private RunResult run(boolean redelivered, JobPipeline pipeline, JobMessage job) {
    return runner.run(
        new RunRequest(
            job, "worker", 1, () -> false, UUID.randomUUID(), abandoned::get, redelivered),
        pipeline,
        events::add);
  }

  private JobMessage job(int attempt) {
    return new JobMessage(
        1,
        jobId,
        "test",
        attempt,
        JsonNodeFactory.instance.objectNode(),
        List.of(),
        null,
        Instant.now(),
        new ExecutionPolicy(3, 10, 100, 60_000));
  }

  private String work(int attempt) {
    return "work/" + jobId + "/" + attempt + "/";
  }

  private JobPipeline crashing() {
    return pipelineOf(
        ctx -> {
          throw new OutOfMemoryError("simulated: the worker process dies");
        });
  }

  private JobPipeline working() {
    return pipelineOf(ctx -> {});
  }

  private JobPipeline pipelineOf(Body body) {
    Stage stage =
        new Stage() {
          @Override
          public String name() {
            return "only";
          }

          @Override
          public void run(StageContext ctx) throws Exception {
            stageRuns.incrementAndGet();
            body.run(ctx);
          }
        };
    return new JobPipeline() {
      @Override
      public String type() {
        return "test";
      }

      @Override
      public List<Stage> stages(JobMessage job) {
        return List.of(stage);
      }
    };
  }
}
