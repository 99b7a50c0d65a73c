package dev.kiln.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.outbound.UrlFetcher;
import dev.kiln.worker.broker.ConfirmedEventSink;
import dev.kiln.worker.broker.JobDelivery;
import dev.kiln.worker.config.WorkerConfig;
import dev.kiln.worker.observability.WorkerMetrics;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.RetryScheduler;
import dev.kiln.worker.pipeline.Stage;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.pipeline.StageFailure;
import dev.kiln.worker.storage.RetryingStore;
import dev.kiln.worker.testing.InMemoryObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * How a job message is settled and what the gateway hears about it, with a fake broker: the
 * settlement of the delivery and the confirmed events are all that matter here.
 */
class JobExecutorTest {

  private static final String TYPE = "synthetic";
  private static final String WORKER = "worker-under-test";

  private final List<JobEvent> published = new CopyOnWriteArrayList<>();
  private volatile boolean confirming = true;
  private final ConfirmedEventSink.EventChannel channel =
      (routingKey, eventId, body) -> {
        try {
          published.add(KilnJson.mapper().readValue(body, JobEvent.class));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return confirming ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
      };
  private final CancelRegistry cancels = new CancelRegistry();
  private final InMemoryObjectStore store = new InMemoryObjectStore();
  private final List<JobMessage> scheduled = new CopyOnWriteArrayList<>();
  private final RetryScheduler retries = (next, delayMillis) -> scheduled.add(next);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void messageForAnAttemptCancelledBeforeDeliveryEndsItWithAConfirmedJobCancelled()
      throws Exception {
    JobMessage job = job(UUID.randomUUID(), 2);
    cancels.cancel(job.jobId(), 2);
    Settlement settled = deliver(executor(stages(j -> List.of())), json(job));

    assertThat(settled.outcomes).containsExactly("ack");
    assertThat(published).hasSize(1);
    JobEvent cancelled = published.getFirst();
    assertThat(cancelled.payload()).isEqualTo(new EventPayload.JobCancelled("requested", null));
    assertThat(cancelled.jobId()).isEqualTo(job.jobId());
    assertThat(cancelled.attempt()).isEqualTo(2);
    assertThat(cancelled.seq()).isEqualTo(1);
    assertThat(cancelled.source()).isEqualTo(WORKER);
    assertThat(finished("cancelled")).isEqualTo(1);
  }

  @Test
  void cancelledAttemptWhoseEventIsNotConfirmedGoesBackToTheQueue() throws Exception {
    confirming = false;
    JobMessage job = job(UUID.randomUUID(), 1);
    cancels.cancel(job.jobId(), 1);

    Settlement settled = deliver(executor(stages(j -> List.of())), json(job));

    assertThat(settled.outcomes).containsExactly("requeue");
  }

  @Test
  void messageOfATypeThisWorkerDoesNotRunFailsTheJobAndIsAckedNotDeadLettered() throws Exception {
    UUID jobId = UUID.randomUUID();
    String body = "{\"v\":1,\"jobId\":\"" + jobId + "\",\"type\":\"recipe\",\"attempt\":3}";

    Settlement settled = deliver(executor(stages(j -> List.of())), body);

    assertThat(settled.outcomes).containsExactly("ack");
    assertThat(published).hasSize(1);
    JobEvent failed = published.getFirst();
    assertThat(failed.jobId()).isEqualTo(jobId);
    assertThat(failed.attempt()).isEqualTo(3);
    assertThat(failed.seq()).isEqualTo(1);
    EventPayload.JobFailed payload = (EventPayload.JobFailed) failed.payload();
    assertThat(payload.code()).isEqualTo("UNSUPPORTED_JOB");
    assertThat(payload.retryable()).isFalse();
    assertThat(payload.stage()).isNull();
    assertThat(payload.message()).contains("recipe");
    assertThat(meters.counter("kiln.worker.messages.rejected").count()).isEqualTo(1);
  }

  @Test
  void invalidMessageWithAReadableJobIdFailsTheJobAndIsAcked() throws Exception {
    UUID jobId = UUID.randomUUID();
    String body =
        "{\"v\":1,\"jobId\":\"" + jobId + "\",\"type\":\"synthetic\",\"attempt\":1,\"params\":7}";

    Settlement settled = deliver(executor(stages(j -> List.of())), body);

    assertThat(settled.outcomes).containsExactly("ack");
    assertThat(published)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.jobId()).isEqualTo(jobId);
              EventPayload.JobFailed payload = (EventPayload.JobFailed) e.payload();
              assertThat(payload.code()).isEqualTo("INVALID_JOB_MESSAGE");
              assertThat(payload.retryable()).isFalse();
            });
  }

  @Test
  void rejectionWhoseEventIsNotConfirmedGoesBackToTheQueue() throws Exception {
    confirming = false;
    String body =
        "{\"v\":1,\"jobId\":\"" + UUID.randomUUID() + "\",\"type\":\"recipe\",\"attempt\":1}";

    Settlement settled = deliver(executor(stages(j -> List.of())), body);

    assertThat(settled.outcomes).containsExactly("requeue");
  }

  @Test
  void messageWithoutAJobIdIsRejectedWithoutEvents() throws Exception {
    Settlement settled = deliver(executor(stages(j -> List.of())), "this is not json");

    assertThat(settled.outcomes).containsExactly("reject");
    assertThat(published).isEmpty();
  }

  @Test
  void brokenStageNameIsRetriedAsAnInternalErrorInsteadOfRequeueingItForever() throws Exception {
    Stage broken =
        new Stage() {
          @Override
          public String name() {
            throw new IllegalStateException("no name");
          }

          @Override
          public void run(StageContext ctx) {}
        };
    JobMessage job = job(UUID.randomUUID(), 1);

    Settlement settled = deliver(executor(stages(j -> List.of(broken))), json(job));

    assertThat(settled.outcomes).containsExactly("ack");
    assertThat(published).extracting(JobEvent::type).containsExactly("job.retrying");
    EventPayload.JobRetrying retrying = (EventPayload.JobRetrying) published.getLast().payload();
    assertThat(retrying.code()).isEqualTo("INTERNAL_ERROR");
    assertThat(retrying.nextAttempt()).isEqualTo(2);
    assertThat(retrying.message()).doesNotContain("no name");
    assertThat(scheduled).extracting(JobMessage::attempt).containsExactly(2);
  }

  @Test
  void errorEscapingTheRunIsReportedAsInternalErrorAndAcked() throws Exception {
    JobMessage job = job(UUID.randomUUID(), 1);
    JobPipeline pipeline =
        stages(
            j -> {
              throw new LinkageError("class file for /secret/Thing is broken");
            });

    Settlement settled = deliver(executor(pipeline), json(job));

    assertThat(settled.outcomes).containsExactly("ack");
    assertThat(published).extracting(JobEvent::type).containsExactly("job.failed");
    JobEvent event = published.getLast();
    assertThat(event.seq()).isEqualTo(1);
    EventPayload.JobFailed failed = (EventPayload.JobFailed) event.payload();
    assertThat(failed.code()).isEqualTo("INTERNAL_ERROR");
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.stage()).isNull();
    assertThat(failed.message()).contains("LinkageError").doesNotContain("secret");
    assertThat(finished("failed")).isEqualTo(1);
  }

  @Test
  void errorInAStageAfterEventsContinuesTheirSequence() throws Exception {
    JobMessage job = job(UUID.randomUUID(), 1);
    Stage crashing =
        new Stage() {
          @Override
          public String name() {
            return "crash";
          }

          @Override
          public void run(StageContext ctx) {
            ctx.progress(10, "about to crash");
            throw new AssertionError("boom");
          }
        };

    Settlement settled = deliver(executor(stages(j -> List.of(crashing))), json(job));

    assertThat(settled.outcomes).containsExactly("ack");
    assertThat(published)
        .extracting(JobEvent::type)
        .containsExactly("job.started", "stage.started", "stage.progress", "job.retrying");
    assertThat(published).extracting(JobEvent::seq).containsExactly(1L, 2L, 3L, 4L);
    assertThat(((EventPayload.JobRetrying) published.getLast().payload()).code())
        .isEqualTo("INTERNAL_ERROR");
  }

  @Test
  void runWhoseEventsAreNotConfirmedGoesBackToTheQueue() throws Exception {
    confirming = false;
    JobMessage job = job(UUID.randomUUID(), 1);

    Settlement settled = deliver(executor(stages(j -> List.of())), json(job));

    assertThat(settled.outcomes).containsExactly("requeue");
    assertThat(published).extracting(JobEvent::type).contains("job.succeeded");
  }

  @Test
  void successfulRunIsAckedOnceItsEventsAreConfirmed() throws Exception {
    JobMessage job = job(UUID.randomUUID(), 1);

    Settlement settled = deliver(executor(stages(j -> List.of())), json(job));

    assertThat(settled.outcomes).containsExactly("ack");
    assertThat(published)
        .extracting(JobEvent::type)
        .containsExactly("job.started", "job.succeeded");
  }

  @Test
  void retryableFailureIsAckedOnceItsRetryIsScheduledAndAnnounced() throws Exception {
    JobMessage job = job(UUID.randomUUID(), 1);

    Settlement settled = deliver(executor(stages(j -> List.of(failing(true)))), json(job));

    assertThat(settled.outcomes).containsExactly("ack");
    assertThat(scheduled).extracting(JobMessage::attempt).containsExactly(2);
    assertThat(published.getLast().type()).isEqualTo("job.retrying");
    assertThat(meters.counter("kiln.worker.jobs.retried", "type", TYPE).count()).isEqualTo(1);
    assertThat(finished("failed")).isZero();
  }

  @Test
  void lastAttemptFailingRetryablyIsRejectedIntoTheDeadLettersAfterItsJobFailed() throws Exception {
    JobMessage job = job(UUID.randomUUID(), 3);

    Settlement settled = deliver(executor(stages(j -> List.of(failing(true)))), json(job));

    assertThat(settled.outcomes).containsExactly("reject");
    assertThat(scheduled).isEmpty();
    EventPayload.JobFailed failed = (EventPayload.JobFailed) published.getLast().payload();
    assertThat(failed.retryable()).isTrue();
    assertThat(finished("failed")).isEqualTo(1);
  }

  @Test
  void nonRetryableFailureIsAckedNotDeadLettered() throws Exception {
    JobMessage job = job(UUID.randomUUID(), 1);

    Settlement settled = deliver(executor(stages(j -> List.of(failing(false)))), json(job));

    assertThat(settled.outcomes).containsExactly("ack");
    assertThat(published.getLast().type()).isEqualTo("job.failed");
  }

  @Test
  void deadLetteringWaitsForTheJobFailedConfirmAndRequeuesWithoutIt() throws Exception {
    confirming = false;
    JobMessage job = job(UUID.randomUUID(), 3);

    Settlement settled = deliver(executor(stages(j -> List.of(failing(true)))), json(job));

    assertThat(settled.outcomes).containsExactly("requeue");
    assertThat(store.keys("work/" + job.jobId() + "/3/"))
        .as("not marked done: the next delivery publishes the same job.failed")
        .contains("work/" + job.jobId() + "/3/ending.json")
        .doesNotContain("work/" + job.jobId() + "/3/done.json");
  }

  @Test
  void finishedJobFreesItsSlotWhileItsEventsAwaitTheirConfirms() throws Exception {
    confirming = false;
    List<String> ran = new CopyOnWriteArrayList<>();
    JobExecutor executor = executor(stages(j -> List.of(recording(j.jobId().toString(), ran))));
    List<Settlement> settlements = new ArrayList<>();

    // why three on two slots: the third can only run if a finished job gave its slot back
    // before its confirms (withheld here) arrived
    for (int i = 0; i < 3; i++) {
      Settlement settlement = new Settlement();
      settlements.add(settlement);
      executor.onDelivery(
          TYPE,
          new JobDelivery(
              settlement,
              i + 1,
              false,
              json(job(UUID.randomUUID(), 1)).getBytes(StandardCharsets.UTF_8)));
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (ran.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(ran).hasSize(3);
    assertThat(settlements).allSatisfy(s -> assertThat(s.outcomes).isEmpty());
    confirming = true;
    assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(settlements).allSatisfy(s -> assertThat(s.outcomes).containsExactly("requeue"));
  }

  @Test
  void secondDeliveryOfAnEndedAttemptIsAckedWithoutRunningOrEvents() throws Exception {
    JobMessage job = job(UUID.randomUUID(), 1);
    List<String> ran = new CopyOnWriteArrayList<>();
    JobExecutor executor = executor(stages(j -> List.of(recording("only", ran))));
    deliver(executor, json(job));
    int eventsAfterFirst = published.size();

    Settlement second = deliver(executor, json(job));

    assertThat(second.outcomes).containsExactly("ack");
    assertThat(published).hasSize(eventsAfterFirst);
    assertThat(ran).containsExactly("only");
    assertThat(meters.counter("kiln.worker.deliveries.duplicate", "type", TYPE).count())
        .isEqualTo(1);
    assertThat(store.keys("work/" + job.jobId() + "/1/"))
        .containsExactly("work/" + job.jobId() + "/1/done.json");
  }

  @Test
  void runWhoseMessageWasLostWithItsChannelStopsSilentlyAndKeepsItsCheckpoint() throws Exception {
    JobMessage job = job(UUID.randomUUID(), 1);
    AtomicBoolean lost = new AtomicBoolean();
    Stage losing =
        new Stage() {
          @Override
          public String name() {
            return "second";
          }

          @Override
          public void run(StageContext ctx) {
            lost.set(true);
            ctx.progress(50, "the channel just closed");
          }
        };
    JobExecutor executor =
        executor(stages(j -> List.of(recording("first", new ArrayList<>()), losing)));

    Settlement settled = new Settlement();
    executor.onDelivery(
        TYPE,
        new JobDelivery(settled, 1, false, json(job).getBytes(StandardCharsets.UTF_8), lost::get));
    assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();

    assertThat(settled.outcomes).containsExactly("requeue");
    assertThat(published).noneMatch(JobEvent::isTerminal);
    assertThat(published).extracting(JobEvent::type).doesNotContain("job.retrying");
    assertThat(store.keys("work/" + job.jobId() + "/1/"))
        .contains("work/" + job.jobId() + "/1/checkpoint.json");
  }

  @Test
  void jobsStillRunningWhenShutdownRunsOutOfGraceStopWithoutEventsAndKeepTheirCheckpoints()
      throws Exception {
    JobMessage job = job(UUID.randomUUID(), 1);
    java.util.concurrent.CountDownLatch secondStageRunning =
        new java.util.concurrent.CountDownLatch(1);
    Stage endless =
        new Stage() {
          @Override
          public String name() {
            return "endless";
          }

          @Override
          public void run(StageContext ctx) throws InterruptedException {
            secondStageRunning.countDown();
            while (true) {
              Thread.sleep(10);
              ctx.progress(1, "still going");
            }
          }
        };
    JobExecutor executor =
        executor(stages(j -> List.of(recording("first", new ArrayList<>()), endless)));
    Settlement settled = new Settlement();
    executor.onDelivery(
        TYPE, new JobDelivery(settled, 1, false, json(job).getBytes(StandardCharsets.UTF_8)));
    assertThat(secondStageRunning.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    executor.startDraining();
    assertThat(executor.awaitIdle(Duration.ofMillis(100))).as("grace period ran out").isFalse();
    executor.abandonRunning();

    assertThat(executor.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(settled.outcomes).containsExactly("requeue");
    assertThat(published).noneMatch(JobEvent::isTerminal);
    assertThat(published).extracting(JobEvent::type).doesNotContain("job.retrying");
    assertThat(store.keys("work/" + job.jobId() + "/1/"))
        .contains("work/" + job.jobId() + "/1/checkpoint.json");
  }

  @Test
  void messageWithAPolicyButNoParamsKeepsItsPolicy() throws Exception {
    UUID jobId = UUID.randomUUID();
    String body =
        "{\"v\":1,\"jobId\":\""
            + jobId
            + "\",\"type\":\"synthetic\",\"attempt\":1,\"policy\":{\"maxAttempts\":1,"
            + "\"retryBaseMillis\":0,\"retryCapMillis\":0,\"timeoutMillis\":1000}}";

    Settlement settled = deliver(executor(stages(j -> List.of(failing(true)))), body);

    assertThat(settled.outcomes)
        .as("one attempt only: dead-lettered, not retried")
        .containsExactly("reject");
    assertThat(scheduled).isEmpty();
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static Stage failing(boolean retryable) {
    return new Stage() {
      @Override
      public String name() {
        return "failing";
      }

      @Override
      public void run(StageContext ctx) throws StageFailure {
        throw new StageFailure("FLAKY", "try again", retryable);
      }
    };
  }

  private static Stage recording(String name, List<String> ran) {
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void run(StageContext ctx) {
        ran.add(name);
      }
    };
  }

  /** Records how the delivery was settled. */
  private static final class Settlement implements JobDelivery.Acknowledger {
    final List<String> outcomes = new CopyOnWriteArrayList<>();

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void ack(long deliveryTag) {
      outcomes.add("ack");
    }

    @Override
    public void nack(long deliveryTag, boolean requeue) {
      outcomes.add(requeue ? "requeue" : "reject");
    }
  }

  private Settlement deliver(JobExecutor executor, String body) throws InterruptedException {
    Settlement settlement = new Settlement();
    executor.onDelivery(
        TYPE, new JobDelivery(settlement, 1, false, body.getBytes(StandardCharsets.UTF_8)));
    assertThat(executor.awaitIdle(Duration.ofSeconds(10))).as("delivery settled").isTrue();
    return settlement;
  }

  private JobExecutor executor(JobPipeline pipeline) {
    PipelineRegistry registry =
        new PipelineRegistry(List.of(pipeline), Optional.empty(), List.of(TYPE));
    return new JobExecutor(
        new TestConfig(),
        WORKER,
        cancels,
        channel,
        retries,
        registry,
        new WorkerMetrics(meters),
        new RetryingStore(store, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(50)),
        UrlFetcher.DISABLED,
        OpenTelemetry.noop().getTracer("kiln-worker"));
  }

  private static JobPipeline stages(Function<JobMessage, List<Stage>> plan) {
    return new JobPipeline() {
      @Override
      public String type() {
        return TYPE;
      }

      @Override
      public List<Stage> stages(JobMessage job) {
        return plan.apply(job);
      }
    };
  }

  private static JobMessage job(UUID jobId, int attempt) {
    return new JobMessage(
        JobMessage.VERSION,
        jobId,
        TYPE,
        attempt,
        JsonNodeFactory.instance.objectNode(),
        List.of(),
        null,
        Instant.now());
  }

  private static String json(JobMessage job) throws IOException {
    return KilnJson.mapper().writeValueAsString(job);
  }

  private double finished(String outcome) {
    var counter =
        meters
            .find("kiln.worker.jobs.finished")
            .tag("type", TYPE)
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static final class TestConfig implements WorkerConfig {
    @Override
    public Optional<String> id() {
      return Optional.of(WORKER);
    }

    @Override
    public Optional<List<String>> types() {
      return Optional.empty();
    }

    @Override
    public Optional<Integer> prefetch() {
      return Optional.empty();
    }

    @Override
    public int concurrency() {
      return 2;
    }

    @Override
    public Duration heartbeatInterval() {
      return Duration.ofSeconds(10);
    }

    @Override
    public Duration progressInterval() {
      return Duration.ofMillis(250);
    }

    @Override
    public Duration shutdownGrace() {
      return Duration.ofSeconds(5);
    }

    @Override
    public Duration confirmTimeout() {
      return Duration.ofMillis(500);
    }

    @Override
    public boolean faultInjection() {
      return false;
    }
  }
}
