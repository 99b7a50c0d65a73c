package dev.kiln.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.storage.RetryingStore;
import dev.kiln.worker.testing.FlakyObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * One attempt across its runs, without a broker: runs and their numbering, checkpoints and resume,
 * the done marker, pending endings, retries and dead letters, timeouts and object store outages.
 */
class AttemptLifecycleTest {

  private static final ExecutionPolicy POLICY = new ExecutionPolicy(3, 1_000, 8_000, 60_000);

  private final FlakyObjectStore store = new FlakyObjectStore();
  private final List<JobEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> scheduled = new CopyOnWriteArrayList<>();
  private final List<String> timedOut = new CopyOnWriteArrayList<>();
  private final List<String> retried = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
  private final AtomicBoolean abandoned = new AtomicBoolean();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private volatile boolean schedulerUp = true;
  private final UUID jobId = UUID.randomUUID();

  private final RunObserver observer =
      new RunObserver() {
        @Override
        public void stageCompleted(String jobType, String stage, Duration took) {}

        @Override
        public void retryScheduled(String jobType) {
          retried.add(jobType);
        }

        @Override
        public void timedOut(String jobType) {
          timedOut.add(jobType);
        }
      };

  private final PipelineRunner runner =
      new PipelineRunner(
          new RetryingStore(
              store, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(200)),
          Duration.ZERO,
          observer,
          (next, delayMillis) -> {
            if (!schedulerUp) {
              throw new IOException("broker down");
            }
            // why: records how many events were out when the retry was scheduled
            scheduled.add(next.attempt() + "@" + delayMillis + " after " + events.size());
          },
          () -> 0.0);

  // --- runs ----------------------------------------------------------------------------------

  @Test
  void eachRunHasItsOwnIdAndNumbersItsEventsFromOne() {
    JobMessage job = job(1);
    RunRequest first = request(job);
    run(first, abandonInStage("c"));
    List<JobEvent> firstRun = List.copyOf(events);
    events.clear();
    abandoned.set(false);
    RunRequest second = request(job);
    run(second, pipeline());

    assertThat(first.run()).isNotEqualTo(second.run());
    assertThat(firstRun).isNotEmpty().allSatisfy(e -> assertThat(e.run()).isEqualTo(first.run()));
    assertThat(events).allSatisfy(e -> assertThat(e.run()).isEqualTo(second.run()));
    for (List<JobEvent> run : List.of(firstRun, List.copyOf(events))) {
      assertThat(run)
          .extracting(JobEvent::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, run.size()).boxed().toList());
    }
  }

  // --- resume --------------------------------------------------------------------------------

  @Test
  void runResumedAfterAnAbandonedOneSkipsCompletedStagesAndReusesTheirOutputs() {
    JobMessage job = job(1);
    RunResult first = run(request(job), abandonInStage("c"));

    assertThat(first.outcome()).isEqualTo(RunOutcome.ABANDONED);
    assertThat(first.disposition()).isEqualTo(Disposition.REQUEUE);
    assertThat(events).noneMatch(JobEvent::isTerminal);
    assertThat(store.keys(work(job)))
        .as("the abandoned run keeps its checkpoint and outputs")
        .contains(work(job) + "checkpoint.json", work(job) + "a/a.out", work(job) + "b/b.out");

    events.clear();
    abandoned.set(false);
    RunResult second = run(request(job), pipeline());

    assertThat(second.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(events)
        .extracting(JobEvent::type)
        .containsExactly(
            "job.started", "stage.started", "artifact.created", "stage.completed", "job.succeeded");
    assertThat(events.getFirst().payload())
        .isEqualTo(new EventPayload.JobStarted("test", List.of("a", "b", "c"), 2, "b"));
    assertThat(events.get(1).payload()).isEqualTo(new EventPayload.StageStarted("c", 2));
    assertThat(executions).containsOnlyKeys("a", "b", "c");
    assertThat(executions.get("a")).hasValue(1);
    assertThat(executions.get("b")).hasValue(1);
    assertThat(executions.get("c")).hasValue(2);
    assertThat(new String(store.objects.get(artifact("out.txt")), StandardCharsets.UTF_8))
        .as("stage c read the output stage b kept in the first run")
        .isEqualTo("c(b(a))");
  }

  @Test
  void checkpointThatDoesNotMatchThePlannedStagesIsIgnored() throws Exception {
    JobMessage job = job(1);
    store.objects.put(
        work(job) + "checkpoint.json",
        KilnJson.mapper()
            .writeValueAsBytes(
                Checkpoint.empty(jobId, 1)
                    .plus(new Checkpoint.CompletedStage("other", 5, List.of()))));

    run(request(job), pipeline());

    assertThat(((EventPayload.JobStarted) events.getFirst().payload()).resumedAfter()).isNull();
    assertThat(executions.get("a")).hasValue(1);
  }

  // --- done marker and pending endings ---------------------------------------------------------

  @Test
  void attemptThatEndedKeepsOnlyItsDoneMarker() throws Exception {
    JobMessage job = job(1);
    RunResult result = run(request(job), pipeline());
    runner.complete(result);

    assertThat(store.keys(work(job))).containsExactly(work(job) + "done.json");
    JsonNode done = KilnJson.mapper().readTree(store.objects.get(work(job) + "done.json"));
    assertThat(done.path("outcome").asText()).isEqualTo("succeeded");
    assertThat(Instant.parse(done.path("at").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(store.keys("artifacts/")).containsExactly(artifact("out.txt"));
  }

  @Test
  void deliveryOfAnAttemptThatIsDoneRunsNothingAndEmitsNothing() {
    JobMessage job = job(1);
    runner.complete(run(request(job), pipeline()));
    events.clear();
    int puts = (int) store.log.stream().filter(c -> c.startsWith("put")).count();

    RunResult duplicate = run(request(job), pipeline());

    assertThat(duplicate.outcome()).isEqualTo(RunOutcome.DUPLICATE);
    assertThat(duplicate.disposition()).isEqualTo(Disposition.ACK);
    assertThat(events).isEmpty();
    assertThat(executions.get("a")).hasValue(1);
    assertThat(store.log.stream().filter(c -> c.startsWith("put"))).hasSize(puts);
  }

  @Test
  void endingPreparedByARunThatDiedIsFinishedWithTheSameEventInsteadOfRunningAgain() {
    JobMessage job = job(1);
    // why: the first run published its terminal event, but died before the attempt was marked
    // done (no complete): the broker hands the message to another run
    run(request(job), pipeline());
    JobEvent terminal = events.getLast();
    events.clear();

    RunRequest second = request(job);
    RunResult again = run(second, pipeline());

    assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(events).hasSize(1);
    JobEvent finished = events.getFirst();
    assertThat(finished.eventId()).isEqualTo(terminal.eventId());
    assertThat(finished.payload()).isEqualTo(terminal.payload());
    assertThat(finished.occurredAt()).isEqualTo(terminal.occurredAt());
    // why: the dead run may have lost events before its ending; carried by the new run as its
    // first event, the ending cannot leave a gap in the dead run's seqs
    assertThat(finished.run()).isEqualTo(second.run()).isNotEqualTo(terminal.run());
    assertThat(finished.seq()).isEqualTo(1);
    assertThat(executions.get("c")).hasValue(1);
    runner.complete(again);
    assertThat(store.keys(work(job))).containsExactly(work(job) + "done.json");
  }

  // --- pipelines without stages -----------------------------------------------------------------

  @Test
  void stagelessJobThatSucceedsOnItsFirstDeliveryNeverCallsTheObjectStore() {
    JobMessage job = job(1);

    RunResult result = run(request(job), pipelineOf());
    runner.complete(result);

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(events).extracting(JobEvent::type).containsExactly("job.started", "job.succeeded");
    assertThat(store.log).isEmpty();
  }

  @Test
  void stagelessJobDeliveredAgainRunsAgainAndIsRecordedLikeAnyRedelivery() {
    JobMessage job = job(1);
    runner.complete(run(request(job), pipelineOf()));
    events.clear();

    RunResult again = run(redelivered(job), pipelineOf());
    runner.complete(again);

    assertThat(again.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(events).extracting(JobEvent::type).containsExactly("job.started", "job.succeeded");
    // why: a redelivery may follow a crash, so it reads and keeps the records as every run did
    assertThat(store.keys(work(job))).containsExactly(work(job) + "done.json");
  }

  @Test
  void stagelessJobCancelledBeforeItStartsStillRecordsItsEnding() {
    cancelled.set(true);
    JobMessage job = job(1);

    RunResult result = run(request(job), pipelineOf());
    runner.complete(result);

    assertThat(result.outcome()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(store.keys(work(job))).containsExactly(work(job) + "done.json");
  }

  // --- retries and dead letters ----------------------------------------------------------------

  @Test
  void retryableFailureSchedulesTheNextAttemptBeforeAnnouncingIt() {
    JobMessage job = job(1);
    Instant before = Instant.now();

    RunResult result = run(request(job), failingIn("b", true));

    assertThat(result.outcome()).isEqualTo(RunOutcome.RETRYING);
    assertThat(result.disposition()).isEqualTo(Disposition.ACK);
    // why: random 0 gives the lower half of the first delay, 1000 ms / 2
    int eventsBeforeRetrying = events.size() - 1;
    assertThat(scheduled).containsExactly("2@500 after " + eventsBeforeRetrying);
    JobEvent last = events.getLast();
    EventPayload.JobRetrying retrying = (EventPayload.JobRetrying) last.payload();
    assertThat(last.isTerminal()).isFalse();
    assertThat(retrying.nextAttempt()).isEqualTo(2);
    assertThat(retrying.code()).isEqualTo("FLAKY");
    assertThat(retrying.message()).isEqualTo("try again");
    assertThat(retrying.stage()).isEqualTo("b");
    long step = Topology.retryStep(500);
    assertThat(retrying.nextRunAt())
        .isBetween(before.plusMillis(step), Instant.now().plusMillis(step));
    assertThat(retried).containsExactly("test");
  }

  @Test
  void lastAttemptFailingRetryablyFailsTheJobAndDeadLettersTheMessage() {
    RunResult result = run(request(job(3)), failingIn("b", true));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.disposition()).isEqualTo(Disposition.DEAD_LETTER);
    assertThat(events.getLast().payload())
        .isEqualTo(new EventPayload.JobFailed("FLAKY", "try again", true, "b"));
    assertThat(scheduled).isEmpty();
  }

  @Test
  void nonRetryableFailureFailsAtOnceAndIsNotDeadLettered() {
    RunResult result = run(request(job(1)), failingIn("b", false));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.disposition()).isEqualTo(Disposition.ACK);
    assertThat(events.getLast().payload())
        .isEqualTo(new EventPayload.JobFailed("FLAKY", "try again", false, "b"));
    assertThat(scheduled).isEmpty();
  }

  @Test
  void retryThatCannotBeScheduledIsNotAnnouncedAndTheNextRunSchedulesIt() {
    JobMessage job = job(1);
    schedulerUp = false;

    RunResult first = run(request(job), failingIn("b", true));

    assertThat(first.outcome()).isEqualTo(RunOutcome.ABANDONED);
    assertThat(first.disposition()).isEqualTo(Disposition.REQUEUE);
    assertThat(events).extracting(JobEvent::type).doesNotContain("job.retrying");

    schedulerUp = true;
    events.clear();
    RunResult second = run(request(job), failingIn("b", true));

    assertThat(second.outcome()).isEqualTo(RunOutcome.RETRYING);
    assertThat(events).extracting(JobEvent::type).containsExactly("job.retrying");
    assertThat(scheduled).hasSize(1);
    assertThat(executions.get("b")).as("the failed stage did not run again").hasValue(1);
  }

  // --- timeouts -------------------------------------------------------------------------------

  @Test
  void attemptRunningPastItsTimeoutIsInterruptedAndRetriedAsJobTimeout() {
    JobMessage job = job(1, new ExecutionPolicy(3, 1_000, 8_000, 200));
    long t0 = System.nanoTime();

    RunResult result =
        run(
            request(job),
            pipelineOf(
                stage(
                    "sleepy",
                    ctx -> {
                      count("sleepy");
                      Thread.sleep(30_000);
                    })));

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    assertThat(result.outcome()).isEqualTo(RunOutcome.RETRYING);
    EventPayload.JobRetrying retrying = (EventPayload.JobRetrying) events.getLast().payload();
    assertThat(retrying.code()).isEqualTo("JOB_TIMEOUT");
    assertThat(retrying.stage()).isEqualTo("sleepy");
    assertThat(timedOut).containsExactly("test");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void stageThatIgnoresInterruptsStopsAtItsNextProgressCheckAndTheLastAttemptFails() {
    JobMessage job = job(3, new ExecutionPolicy(3, 1_000, 8_000, 200));

    RunResult result =
        run(
            request(job),
            pipelineOf(
                stage(
                    "stubborn",
                    ctx -> {
                      while (true) {
                        try {
                          Thread.sleep(20);
                        } catch (InterruptedException ignored) {
                          // a stage that swallows interrupts still calls progress
                        }
                        ctx.progress(1, "busy");
                      }
                    })));

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.disposition()).isEqualTo(Disposition.DEAD_LETTER);
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("JOB_TIMEOUT");
    assertThat(failed.retryable()).isTrue();
  }

  // --- object store outages --------------------------------------------------------------------

  @Test
  void uploadInterruptedByAStoreOutageIsRetriedAndSucceeds() {
    store.failFirst(2, call -> call.startsWith("put artifacts/"));

    RunResult result = run(request(job(1)), pipeline());

    assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(store.log).filteredOn(c -> c.equals("put " + artifact("out.txt"))).hasSize(3);
    EventPayload.ArtifactCreated created =
        events.stream()
            .map(JobEvent::payload)
            .filter(EventPayload.ArtifactCreated.class::isInstance)
            .map(EventPayload.ArtifactCreated.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(created.size()).isEqualTo("c(b(a))".length());
  }

  @Test
  void stageThatCannotReachTheStoreFailsRetryablyWithStorageUnavailable() {
    store.down = call -> call.startsWith("put artifacts/");

    RunResult result = run(request(job(1)), pipeline());

    assertThat(result.outcome()).isEqualTo(RunOutcome.RETRYING);
    EventPayload.JobRetrying retrying = (EventPayload.JobRetrying) events.getLast().payload();
    assertThat(retrying.code()).isEqualTo("STORAGE_UNAVAILABLE");
    assertThat(retrying.stage()).isEqualTo("c");
    assertThat(store.log).filteredOn(c -> c.startsWith("put artifacts/")).hasSizeGreaterThan(3);
  }

  @Test
  void lastAttemptThatCannotReachTheStoreFailsRetryablyAndIsDeadLettered() {
    store.down = call -> call.startsWith("open work/");

    RunResult result = run(request(job(3)), pipeline());

    assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(result.disposition()).isEqualTo(Disposition.DEAD_LETTER);
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("STORAGE_UNAVAILABLE");
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.stage()).isEqualTo("b");
  }

  @Test
  void checkpointThatCannotBeReadFailsTheAttemptRetryablyBeforeItStarts() {
    store.down = call -> call.startsWith("list ");

    RunResult result = run(request(job(1)), pipeline());

    assertThat(result.outcome()).isEqualTo(RunOutcome.RETRYING);
    assertThat(events).extracting(JobEvent::type).containsExactly("job.retrying");
    assertThat(((EventPayload.JobRetrying) events.getLast().payload()).code())
        .isEqualTo("STORAGE_UNAVAILABLE");
    assertThat(executions).isEmpty();
  }

  // --- cancellation ---------------------------------------------------------------------------

  @Test
  void cancelledAttemptRemovesEveryArtifactOfTheJobAndKeepsOnlyItsDoneMarker() {
    JobMessage job = job(2);
    store.objects.put(artifact("from-attempt-1.bin"), new byte[] {1});
    Stage cancelling =
        stage(
            "b",
            ctx -> {
              ctx.writeArtifact(
                  "partial.bin", null, () -> new ByteArrayInputStream(new byte[3]), 3);
              cancelled.set(true);
              ctx.progress(50, "cancelled now");
            });

    RunResult result = run(request(job), pipelineOf(stage("a", ctx -> {}), cancelling));
    runner.complete(result);

    assertThat(result.outcome()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(events.getLast().payload())
        .isEqualTo(new EventPayload.JobCancelled("requested", "b"));
    assertThat(store.keys("artifacts/" + jobId + "/")).isEmpty();
    assertThat(store.keys(work(job))).containsExactly(work(job) + "done.json");
  }

  @Test
  void attemptCancelledBeforeItsRunStartsEndsWithJobCancelledOnly() {
    cancelled.set(true);

    RunResult result = run(request(job(1)), pipeline());

    assertThat(result.outcome()).isEqualTo(RunOutcome.CANCELLED);
    assertThat(events).extracting(JobEvent::type).containsExactly("job.cancelled");
    assertThat(events.getFirst().seq()).isEqualTo(1);
    assertThat(executions).isEmpty();
  }

  // --- helpers --------------------------------------------------------------------------------

  interface Body {
    void run(StageContext ctx) throws Exception;
  }

  private RunResult run(RunRequest request, JobPipeline pipeline) {
    return runner.run(request, pipeline, events::add);
  }

  private RunRequest request(JobMessage job) {
    return new RunRequest(job, "worker", 2, cancelled::get, UUID.randomUUID(), abandoned::get);
  }

  private RunRequest redelivered(JobMessage job) {
    return new RunRequest(
        job, "worker", 2, cancelled::get, UUID.randomUUID(), abandoned::get, true);
  }

  private JobMessage job(int attempt) {
    return job(attempt, POLICY);
  }

  private JobMessage job(int attempt, ExecutionPolicy policy) {
    return new JobMessage(
        1,
        jobId,
        "test",
        attempt,
        JsonNodeFactory.instance.objectNode(),
        List.of(),
        null,
        Instant.now(),
        policy);
  }

  private String work(JobMessage job) {
    return "work/" + jobId + "/" + job.attempt() + "/";
  }

  private String artifact(String name) {
    return "artifacts/" + jobId + "/" + name;
  }

  private void count(String stage) {
    executions.computeIfAbsent(stage, s -> new AtomicInteger()).incrementAndGet();
  }

  /** a keeps "a"; b keeps "b(a)"; c reads b's output and stores "c(b(a))" as artifact. */
  private JobPipeline pipeline() {
    return pipelineOf(
        stage(
            "a",
            ctx -> {
              count("a");
              ctx.writeStageOutput("a.out", bytes("a"));
            }),
        stage(
            "b",
            ctx -> {
              count("b");
              ctx.writeStageOutput("b.out", bytes("b(" + read(ctx, "a", "a.out") + ")"));
            }),
        stage(
            "c",
            ctx -> {
              count("c");
              byte[] out = ("c(" + read(ctx, "b", "b.out") + ")").getBytes(StandardCharsets.UTF_8);
              ctx.writeArtifact(
                  "out.txt", "text/plain", () -> new ByteArrayInputStream(out), out.length);
            }));
  }

  private JobPipeline abandonInStage(String name) {
    JobPipeline normal = pipeline();
    return new JobPipeline() {
      @Override
      public String type() {
        return "test";
      }

      @Override
      public List<Stage> stages(JobMessage job) {
        List<Stage> stages = new ArrayList<>();
        for (Stage s : normal.stages(job)) {
          stages.add(
              !s.name().equals(name)
                  ? s
                  : stage(
                      name,
                      ctx -> {
                        count(name);
                        abandoned.set(true);
                        ctx.progress(10, "the worker lost the message");
                      }));
        }
        return stages;
      }
    };
  }

  private JobPipeline failingIn(String name, boolean retryable) {
    return pipelineOf(
        stage("a", ctx -> count("a")),
        stage(
            "b",
            ctx -> {
              count("b");
              if (name.equals("b")) {
                throw new StageFailure("FLAKY", "try again", retryable);
              }
            }));
  }

  private static String read(StageContext ctx, String stage, String name) throws Exception {
    try (InputStream in = ctx.openStageOutput(stage, name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static InputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
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
}
