package dev.kiln.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.broker.BrokerTestAccess;
import dev.kiln.worker.broker.WorkConsumers;
import dev.kiln.worker.config.BrokerConfig;
import dev.kiln.worker.config.StorageConfig;
import dev.kiln.worker.execution.JobExecutor;
import dev.kiln.worker.testing.BrokerProbe;
import dev.kiln.worker.testing.BrokerProbe.DeadLetter;
import dev.kiln.worker.testing.BrokerProbe.Received;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries, dead letters, timeouts, crash recovery and duplicate deliveries, as the gateway sees
 * them: real RabbitMQ (vhost kiln-test-worker) and S3Proxy.
 */
@QuarkusTest
class ReliabilityFlowTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TYPE = "synthetic";

  @Inject BrokerConfig brokerConfig;
  @Inject StorageConfig storageConfig;
  @Inject MinioClient minio;
  @Inject MeterRegistry meters;
  @Inject JobExecutor executor;
  @Inject WorkConsumers consumers;

  private BrokerProbe probe;

  @BeforeEach
  void connect() throws Exception {
    probe = new BrokerProbe(brokerConfig.settings());
    probe.purge(Topology.workQueue(TYPE));
    probe.purge(Topology.DEAD_LETTER_QUEUE);
  }

  @AfterEach
  void disconnect() throws Exception {
    // why: the next test (class) shares this worker; leave it consuming and idle
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while ((!consumers.consuming() || executor.runningCount() > 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    probe.close();
  }

  @Test
  void retryableFailureIsAnnouncedAndTheNextAttemptArrivesFromTheBrokerAfterTheDelay()
      throws Exception {
    JobMessage job =
        job(
            failing(1).put("failAttempts", 1).put("artifactBytes", 0),
            1,
            new ExecutionPolicy(3, 1_000, 2_000, 60_000));
    probe.publishJob(job);

    Received retrying = probe.await(job.jobId(), e -> e.type().equals("job.retrying"), WAIT);
    Instant retryingSeen = Instant.now();
    long idleAfterMs = awaitIdle();
    Received secondStart =
        probe.await(job.jobId(), e -> e.attempt() == 2 && e.type().equals("job.started"), WAIT);
    Instant secondSeen = Instant.now();
    List<JobEvent> events = events(job.jobId());

    Received firstStart =
        probe.await(job.jobId(), e -> e.attempt() == 1 && e.type().equals("job.started"), WAIT);
    EventPayload.JobRetrying payload = (EventPayload.JobRetrying) retrying.event().payload();
    assertThat(retrying.event().attempt()).isEqualTo(1);
    assertThat(payload.nextAttempt()).isEqualTo(2);
    assertThat(payload.code()).isEqualTo("SYNTHETIC_FAILURE");
    assertThat(payload.stage()).isEqualTo("stage-1");
    assertThat(retrying.event().isTerminal()).isFalse();
    assertThat(Duration.between(firstStart.event().occurredAt(), retrying.event().occurredAt()))
        .as("the failed attempt ends at once instead of waiting through the delay")
        .isLessThan(Duration.ofMillis(500));
    assertThat(idleAfterMs)
        .as("no worker thread holds the job while it waits for its next attempt")
        .isLessThan(Duration.between(retryingSeen, secondSeen).toMillis());
    // why: the delay is at least half the base (equal jitter), waited in a broker delay queue
    assertThat(secondStart.event().occurredAt())
        .isAfterOrEqualTo(payload.nextRunAt().minusMillis(200))
        .isAfter(retrying.event().occurredAt().plusMillis(450));
    probe.awaitTerminal(job.jobId(), WAIT);
    assertThat(events(job.jobId()))
        .filteredOn(e -> e.attempt() == 2)
        .extracting(JobEvent::type)
        .startsWith("job.started")
        .endsWith("job.succeeded");
    assertThat(events).filteredOn(e -> e.attempt() == 1).noneMatch(JobEvent::isTerminal);
  }

  @Test
  void jobThatFailsTwiceSucceedsOnItsThirdAttempt() throws Exception {
    JobMessage job =
        job(
            failing(2).put("failAttempts", 2).put("artifactBytes", 5_000),
            1,
            new ExecutionPolicy(3, 200, 400, 60_000));
    probe.publishJob(job);

    probe.await(job.jobId(), e -> e.attempt() == 3 && e.isTerminal(), WAIT);
    List<JobEvent> events = events(job.jobId());

    assertThat(events)
        .filteredOn(e -> e.isTerminal() || e.type().equals("job.retrying"))
        .extracting(e -> e.attempt() + " " + e.type())
        .containsExactly("1 job.retrying", "2 job.retrying", "3 job.succeeded");
    EventPayload.ArtifactCreated artifact = artifactOf(events, 3);
    assertThat(download(artifact.objectKey())).isEqualTo(artifact.sha256());
    assertThat(artifact.sha256()).isEqualTo(syntheticSha256(5_000));
    assertThat(probe.deadLetters()).noneMatch(d -> isFor(d, job.jobId()));
  }

  @Test
  void lastAttemptFailingRetryablyLandsInTheDeadLettersWithTheBrokersXDeath() throws Exception {
    JobMessage job =
        job(failing(1).put("failCode", "FLAKY"), 2, new ExecutionPolicy(2, 100, 100, 60_000));
    probe.publishJob(job);

    List<JobEvent> events = terminalEvents(job.jobId());
    DeadLetter dead = awaitDeadLetter(job.jobId());

    assertThat(events.getLast().payload())
        .isEqualTo(
            new EventPayload.JobFailed("FLAKY", "injected failure at stage 1", true, "stage-1"));
    assertThat(events).extracting(JobEvent::type).doesNotContain("job.retrying");
    JobMessage deadJob = KilnJson.mapper().readValue(dead.body(), JobMessage.class);
    assertThat(deadJob.attempt()).isEqualTo(2);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> xDeath =
        (List<Map<String, Object>>) dead.props().getHeaders().get("x-death");
    assertThat(xDeath).isNotEmpty();
    assertThat(String.valueOf(xDeath.getFirst().get("reason"))).isEqualTo("rejected");
    assertThat(String.valueOf(xDeath.getFirst().get("queue"))).isEqualTo(Topology.workQueue(TYPE));
  }

  @Test
  void nonRetryableFailureIsNotDeadLettered() throws Exception {
    JobMessage job =
        job(failing(1).put("failRetryable", false), 1, new ExecutionPolicy(3, 100, 100, 60_000));
    probe.publishJob(job);

    List<JobEvent> events = terminalEvents(job.jobId());
    awaitIdle();
    Thread.sleep(300);

    assertThat(((EventPayload.JobFailed) events.getLast().payload()).retryable()).isFalse();
    assertThat(probe.deadLetters()).noneMatch(d -> isFor(d, job.jobId()));
    assertThat(probe.readyMessages(Topology.workQueue(TYPE))).isZero();
  }

  @Test
  void attemptPastItsTimeoutIsAbortedAsJobTimeoutRetriedThenFailed() throws Exception {
    double before = counter("kiln.worker.jobs.timed.out");
    JobMessage job =
        job(
            params().put("stages", 1).put("stageMillis", 20_000).put("artifactBytes", 0),
            1,
            new ExecutionPolicy(2, 200, 400, 700));
    long t0 = System.nanoTime();
    probe.publishJob(job);

    List<JobEvent> events = terminalEvents(job.jobId());

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
    assertThat(events)
        .filteredOn(e -> e.isTerminal() || e.type().equals("job.retrying"))
        .extracting(e -> e.attempt() + " " + e.type())
        .containsExactly("1 job.retrying", "2 job.failed");
    assertThat(
            ((EventPayload.JobRetrying)
                    events.stream()
                        .filter(e -> e.type().equals("job.retrying"))
                        .findFirst()
                        .orElseThrow()
                        .payload())
                .code())
        .isEqualTo("JOB_TIMEOUT");
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("JOB_TIMEOUT");
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.stage()).isEqualTo("stage-1");
    assertThat(counter("kiln.worker.jobs.timed.out")).isEqualTo(before + 2);
    awaitDeadLetter(job.jobId());
    given()
        .get("/q/metrics")
        .then()
        .body(containsString("kiln_worker_jobs_timed_out_total{type=\"synthetic\""))
        .body(containsString("kiln_worker_jobs_retried_total{type=\"synthetic\""));
  }

  @Test
  void runCutOffAfterTwoStagesIsResumedFromItsCheckpointWithoutRepeatingThem() throws Exception {
    JobMessage job =
        job(
            params().put("stages", 3).put("stageMillis", 700).put("artifactBytes", 3_000),
            1,
            new ExecutionPolicy(3, 100, 100, 60_000));
    probe.publishJob(job);
    probe.await(
        job.jobId(),
        e -> e.payload() instanceof EventPayload.StageCompleted c && c.stage().equals("stage-2"),
        WAIT);

    // why: what a crash does to the message: the channel holding it closes unacked, the broker
    // requeues it, and the worker's run of it stops
    breakWithChannelError(BrokerTestAccess.workChannel(consumers, TYPE));

    List<JobEvent> events = terminalEvents(job.jobId());
    Map<UUID, List<JobEvent>> runs = byRun(events);
    assertThat(runs).hasSize(2);
    List<JobEvent> first = runs.values().stream().findFirst().orElseThrow();
    List<JobEvent> second = runs.values().stream().skip(1).findFirst().orElseThrow();
    assertThat(first).noneMatch(JobEvent::isTerminal);
    assertThat(stagesCompleted(first)).containsExactly("stage-1", "stage-2");
    assertThat(second.getFirst().payload())
        .isEqualTo(
            new EventPayload.JobStarted(
                TYPE, List.of("stage-1", "stage-2", "stage-3"), 3, "stage-2"));
    assertThat(second)
        .filteredOn(e -> e.payload() instanceof EventPayload.StageStarted)
        .extracting(e -> ((EventPayload.StageStarted) e.payload()).stage())
        .containsExactly("stage-3");
    assertThat(stagesCompleted(second)).containsExactly("stage-3");
    assertThat(second.getLast().type()).isEqualTo("job.succeeded");
    assertThat(second)
        .extracting(JobEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, second.size()).boxed().toList());
    assertThat(events).filteredOn(JobEvent::isTerminal).hasSize(1);
    EventPayload.ArtifactCreated artifact = artifactOf(second, 1);
    assertThat(artifact.sha256()).isEqualTo(syntheticSha256(3_000));
    assertThat(download(artifact.objectKey())).isEqualTo(artifact.sha256());
    awaitIdle();
    assertThat(objects("work/" + job.jobId() + "/"))
        .containsExactly("work/" + job.jobId() + "/1/done.json");
  }

  @Test
  void duplicateDeliveryOfAnEndedAttemptYieldsNoEventsAndNoSecondArtifact() throws Exception {
    JobMessage job =
        job(params().put("stages", 2).put("stageMillis", 50).put("artifactBytes", 2_000), 1, null);
    probe.publishJob(job);
    terminalEvents(job.jobId());
    awaitIdle();
    int eventsBefore = probe.eventsOf(job.jobId()).size();
    String artifactKey = "artifacts/" + job.jobId() + "/synthetic.bin";
    ZonedDateTime writtenAt = lastModified(artifactKey);
    double duplicates = counter("kiln.worker.deliveries.duplicate");

    probe.publishJob(job);
    awaitCounter("kiln.worker.deliveries.duplicate", duplicates + 1);
    awaitIdle();
    Thread.sleep(200);

    assertThat(probe.eventsOf(job.jobId())).hasSize(eventsBefore);
    assertThat(lastModified(artifactKey)).isEqualTo(writtenAt);
    assertThat(objects("artifacts/" + job.jobId() + "/")).containsExactly(artifactKey);
    assertThat(probe.readyMessages(Topology.workQueue(TYPE))).isZero();
    assertThat(probe.deadLetters()).noneMatch(d -> isFor(d, job.jobId()));
  }

  @Test
  void crashWorkerAtStageFailsTheJobOnAWorkerWithoutFaultInjection() throws Exception {
    JobMessage job =
        job(params().put("stages", 2).put("stageMillis", 0).put("crashWorkerAtStage", 2), 1, null);
    probe.publishJob(job);

    List<JobEvent> events = terminalEvents(job.jobId());

    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getLast().payload();
    assertThat(failed.code()).isEqualTo("FAULT_INJECTION_DISABLED");
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.stage()).isEqualTo("stage-1");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static ObjectNode params() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static ObjectNode failing(int stage) {
    return params()
        .put("stages", Math.max(stage, 1))
        .put("stageMillis", 0)
        .put("failAtStage", stage)
        .put("failRetryable", true);
  }

  private static JobMessage job(ObjectNode params, int attempt, ExecutionPolicy policy) {
    return new JobMessage(
        JobMessage.VERSION,
        UUID.randomUUID(),
        TYPE,
        attempt,
        params,
        List.of(),
        null,
        Instant.now(),
        policy);
  }

  private List<JobEvent> events(UUID jobId) {
    return probe.eventsOf(jobId).stream().map(Received::event).toList();
  }

  private List<JobEvent> terminalEvents(UUID jobId) throws InterruptedException {
    return probe.awaitTerminal(jobId, WAIT).stream().map(Received::event).toList();
  }

  private static Map<UUID, List<JobEvent>> byRun(List<JobEvent> events) {
    Map<UUID, List<JobEvent>> runs = new LinkedHashMap<>();
    for (JobEvent e : events) {
      assertThat(e.run()).as("every worker event names its run").isNotNull();
      runs.computeIfAbsent(e.run(), r -> new ArrayList<>()).add(e);
    }
    return runs;
  }

  private static List<String> stagesCompleted(List<JobEvent> events) {
    return events.stream()
        .map(JobEvent::payload)
        .filter(EventPayload.StageCompleted.class::isInstance)
        .map(p -> ((EventPayload.StageCompleted) p).stage())
        .toList();
  }

  private static EventPayload.ArtifactCreated artifactOf(List<JobEvent> events, int attempt) {
    return events.stream()
        .filter(e -> e.attempt() == attempt)
        .map(JobEvent::payload)
        .filter(EventPayload.ArtifactCreated.class::isInstance)
        .map(EventPayload.ArtifactCreated.class::cast)
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  /** Waits until the worker runs nothing; returns how long that took. */
  private long awaitIdle() throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + WAIT.toNanos();
    while (executor.runningCount() > 0 || !executor.awaitIdle(Duration.ZERO)) {
      assertThat(System.nanoTime()).as("worker idle").isLessThan(deadline);
      Thread.sleep(5);
    }
    return Duration.ofNanos(System.nanoTime() - t0).toMillis();
  }

  private DeadLetter awaitDeadLetter(UUID jobId) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (DeadLetter d : probe.deadLetters()) {
        if (isFor(d, jobId)) {
          return d;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no dead letter for job " + jobId);
  }

  private static boolean isFor(DeadLetter d, UUID jobId) {
    try {
      return jobId.equals(KilnJson.mapper().readValue(d.body(), JobMessage.class).jobId());
    } catch (IOException e) {
      return false;
    }
  }

  private double counter(String name) {
    var c = meters.find(name).tag("type", TYPE).counter();
    return c == null ? 0 : c.count();
  }

  private void awaitCounter(String name, double atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (counter(name) < atLeast) {
      assertThat(System.nanoTime()).as(name + " reached " + atLeast).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** A passive declaration of a missing queue: the broker closes the channel with 404. */
  private static void breakWithChannelError(Channel channel) {
    assertThatThrownBy(() -> channel.queueDeclarePassive("kiln.test.missing-" + UUID.randomUUID()))
        .isInstanceOf(IOException.class);
  }

  private List<String> objects(String prefix) throws Exception {
    List<String> keys = new ArrayList<>();
    for (Result<Item> r :
        minio.listObjects(
            ListObjectsArgs.builder()
                .bucket(storageConfig.bucket())
                .prefix(prefix)
                .recursive(true)
                .build())) {
      keys.add(r.get().objectName());
    }
    return keys;
  }

  private ZonedDateTime lastModified(String key) throws Exception {
    return minio
        .statObject(StatObjectArgs.builder().bucket(storageConfig.bucket()).object(key).build())
        .lastModified();
  }

  private String download(String key) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in =
        minio.getObject(
            GetObjectArgs.builder().bucket(storageConfig.bucket()).object(key).build())) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String syntheticSha256(long size) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (long k = 0; k < size; k++) {
      digest.update((byte) ((k * 31 + 7) & 0xFF));
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
