package dev.kiln.worker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.events.JobEventBatch;
import dev.kiln.model.events.WorkerHeartbeat;
import dev.kiln.model.messages.CancelCommand;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.config.BrokerConfig;
import dev.kiln.worker.config.StorageConfig;
import dev.kiln.worker.config.WorkerIdentity;
import dev.kiln.worker.execution.CancelRegistry;
import dev.kiln.worker.testing.BrokerProbe;
import dev.kiln.worker.testing.BrokerProbe.Received;
import io.micrometer.core.instrument.MeterRegistry;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker as the gateway sees it: real RabbitMQ (vhost kiln-test-worker), real S3Proxy, job
 * messages in and events out.
 */
@QuarkusTest
class SyntheticJobFlowTest {

  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);

  @Inject BrokerConfig brokerConfig;
  @Inject StorageConfig storageConfig;
  @Inject WorkerIdentity identity;
  @Inject MinioClient minio;
  @Inject CancelRegistry cancels;
  @Inject MeterRegistry meters;

  private BrokerProbe probe;

  @BeforeEach
  void connect() throws Exception {
    probe = new BrokerProbe(brokerConfig.settings());
    // why: leftovers of an aborted earlier run must not occupy the worker during this test
    probe.purge(Topology.workQueue("synthetic"));
  }

  @AfterEach
  void disconnect() throws Exception {
    probe.close();
  }

  @Test
  void successfulJobEmitsOrderedEventsAndStoresTheAnnouncedArtifact() throws Exception {
    long size = 6L * 1024 * 1024 + 123; // why: above 5 MiB, so the upload goes multipart
    JobMessage job =
        job(params().put("stages", 3).put("stageMillis", 300).put("artifactBytes", size), 2);
    probe.publishJob(job);

    List<Received> received = probe.awaitTerminal(job.jobId(), JOB_TIMEOUT);
    List<JobEvent> events = received.stream().map(Received::event).toList();

    assertThat(collapseProgress(events))
        .containsExactly(
            "job.started",
            "stage.started",
            "stage.progress",
            "stage.completed",
            "stage.started",
            "stage.progress",
            "stage.completed",
            "stage.started",
            "artifact.created",
            "stage.progress",
            "stage.completed",
            "job.succeeded");
    assertThat(events)
        .extracting(JobEvent::seq)
        .as("arrival order is emission order, seq contiguous from 1")
        .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.attempt()).isEqualTo(2);
              assertThat(e.source()).isEqualTo(identity.id());
            });
    assertThat(received)
        .allSatisfy(r -> assertThat(r.props().getDeliveryMode()).isEqualTo(2))
        .filteredOn(r -> !JobEventBatch.CONTENT_TYPE.equals(r.props().getContentType()))
        .allSatisfy(
            r -> {
              assertThat(r.routingKey()).isEqualTo(r.event().type());
              assertThat(r.props().getContentType()).isEqualTo("application/json");
              assertThat(r.props().getMessageId()).isEqualTo(r.event().eventId().toString());
            });
    // why: between stages the events of a burst share one message, named after its first event
    java.util.Map<com.rabbitmq.client.AMQP.BasicProperties, List<BrokerProbe.Received>> batches =
        new java.util.IdentityHashMap<>();
    received.stream()
        .filter(r -> JobEventBatch.CONTENT_TYPE.equals(r.props().getContentType()))
        .forEach(r -> batches.computeIfAbsent(r.props(), k -> new ArrayList<>()).add(r));
    assertThat(batches).isNotEmpty();
    assertThat(batches.values())
        .allSatisfy(
            batch -> {
              JobEvent first = batch.getFirst().event();
              assertThat(batch).hasSizeGreaterThan(1);
              assertThat(batch.getFirst().routingKey()).isEqualTo(first.type());
              assertThat(batch.getFirst().props().getMessageId())
                  .isEqualTo("batch-" + first.eventId());
            });
    assertThat(events.getFirst().payload())
        .isEqualTo(
            new EventPayload.JobStarted("synthetic", List.of("stage-1", "stage-2", "stage-3"), 3));
    assertProgressMovesWithinEachStage(events);

    EventPayload.ArtifactCreated artifact =
        events.stream()
            .map(JobEvent::payload)
            .filter(EventPayload.ArtifactCreated.class::isInstance)
            .map(EventPayload.ArtifactCreated.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(artifact.name()).isEqualTo("synthetic.bin");
    assertThat(artifact.objectKey()).isEqualTo("artifacts/" + job.jobId() + "/synthetic.bin");
    assertThat(artifact.contentType()).isEqualTo("application/octet-stream");
    assertThat(artifact.size()).isEqualTo(size);
    assertThat(artifact.sha256()).isEqualTo(expectedSyntheticSha256(size));

    Download stored = download(artifact.objectKey());
    assertThat(stored.size()).isEqualTo(artifact.size());
    assertThat(stored.sha256()).isEqualTo(artifact.sha256());
    // why: the local store is shared between runs; 6 MiB per run would pile up
    minio.removeObject(
        RemoveObjectArgs.builder()
            .bucket(storageConfig.bucket())
            .object(artifact.objectKey())
            .build());

    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("kiln_worker_jobs_running"))
        .body(
            containsString(
                "kiln_worker_jobs_finished_total{outcome=\"succeeded\",type=\"synthetic\""))
        .body(
            containsString(
                "kiln_stage_duration_seconds_count{stage=\"stage-3\",type=\"synthetic\""))
        // a histogram (buckets), so dashboards can take percentiles across workers
        .body(containsString("kiln_stage_duration_seconds_bucket{"));
  }

  @Test
  void failingJobEmitsJobFailedWithItsCode() throws Exception {
    JobMessage job =
        job(
            params()
                .put("stages", 3)
                .put("stageMillis", 50)
                .put("failAtStage", 2)
                .put("failCode", "SYNTHETIC_BOOM")
                .put("failRetryable", false),
            1);
    probe.publishJob(job);

    List<JobEvent> events =
        probe.awaitTerminal(job.jobId(), JOB_TIMEOUT).stream().map(Received::event).toList();

    assertThat(collapseProgress(events))
        .containsExactly(
            "job.started",
            "stage.started",
            "stage.progress",
            "stage.completed",
            "stage.started",
            "job.failed");
    assertThat(events.getLast().payload())
        .isEqualTo(
            new EventPayload.JobFailed(
                "SYNTHETIC_BOOM", "injected failure at stage 2", false, "stage-2"));
  }

  @Test
  void cancelWhileRunningRemovesPartialArtifacts() throws Exception {
    JobMessage job =
        job(params().put("stages", 1).put("stageMillis", 20_000).put("artifactBytes", 4096), 1);
    probe.publishJob(job);
    probe.await(job.jobId(), e -> e.payload() instanceof EventPayload.StageProgress, JOB_TIMEOUT);
    assertThat(listArtifacts(job.jobId()))
        .as("the partial artifact exists before the cancel")
        .hasSize(1);

    Instant requested = Instant.now();
    probe.publishCancel(new CancelCommand(CancelCommand.VERSION, job.jobId(), 1, requested));
    List<JobEvent> events =
        probe.awaitTerminal(job.jobId(), Duration.ofSeconds(5)).stream()
            .map(Received::event)
            .toList();
    Duration took = Duration.between(requested, Instant.now());

    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertThat(events.getLast().payload())
        .isEqualTo(new EventPayload.JobCancelled("requested", "stage-1"));
    assertThat(events).filteredOn(JobEvent::isTerminal).hasSize(1);
    assertThat(listArtifacts(job.jobId())).isEmpty();
  }

  @Test
  void jobCancelledBeforeDeliveryEndsWithJobCancelledWithoutRunning() throws Exception {
    UUID jobId = UUID.randomUUID();
    probe.publishCancel(new CancelCommand(CancelCommand.VERSION, jobId, 1, Instant.now()));
    awaitCancelRegistered(jobId, 1);
    double skippedBefore = finished("cancelled");

    probe.publishJob(job(jobId, params().put("stages", 1).put("stageMillis", 0), 1));
    // why: the message may be the redelivery of a run whose worker died; without this event the
    // job would stay running for good
    List<JobEvent> attempt1 =
        probe.awaitTerminal(jobId, JOB_TIMEOUT).stream().map(Received::event).toList();
    assertThat(attempt1).extracting(JobEvent::type).containsExactly("job.cancelled");
    assertThat(attempt1.getFirst().payload())
        .isEqualTo(new EventPayload.JobCancelled("requested", null));
    assertThat(attempt1.getFirst().attempt()).isEqualTo(1);
    awaitCounter(() -> finished("cancelled"), skippedBefore + 1);

    // why: attempt 2 is a different run and must not be affected by attempt 1's cancellation
    probe.publishJob(job(jobId, params().put("stages", 0), 2));
    probe.await(jobId, e -> e.attempt() == 2 && e.isTerminal(), JOB_TIMEOUT);

    assertThat(probe.eventsOf(jobId))
        .extracting(r -> r.event().attempt() + " " + r.event().type())
        .as("attempt 1 never ran")
        .containsExactly("1 job.cancelled", "2 job.started", "2 job.succeeded");
  }

  @Test
  void unreadableMessageIsRejectedAndAForeignOneFailsItsJob() throws Exception {
    double before = meters.counter("kiln.worker.messages.rejected").count();
    probe.publishRaw("synthetic", "this is not json".getBytes(StandardCharsets.UTF_8));
    UUID foreign = UUID.randomUUID();
    probe.publishRaw(
        "synthetic",
        ("{\"v\":1,\"jobId\":\"" + foreign + "\",\"type\":\"recipe\",\"attempt\":1}")
            .getBytes(StandardCharsets.UTF_8));

    awaitCounter(() -> meters.counter("kiln.worker.messages.rejected").count(), before + 2);
    List<JobEvent> events =
        probe.awaitTerminal(foreign, JOB_TIMEOUT).stream().map(Received::event).toList();
    assertThat(events).singleElement().extracting(JobEvent::type).isEqualTo("job.failed");
    EventPayload.JobFailed failed = (EventPayload.JobFailed) events.getFirst().payload();
    assertThat(failed.code()).isEqualTo("UNSUPPORTED_JOB");
    assertThat(failed.retryable()).isFalse();
  }

  @Test
  void heartbeatAnnouncesTypesAndCapacity() throws Exception {
    WorkerHeartbeat beat = probe.awaitHeartbeat(identity.id(), Duration.ofSeconds(5));

    assertThat(beat.v()).isEqualTo(WorkerHeartbeat.VERSION);
    assertThat(beat.types()).containsExactly("extraction", "reconstruction", "synthetic");
    assertThat(beat.capacity()).isEqualTo(4);
    assertThat(beat.sentAt()).isAfter(Instant.now().minusSeconds(10));
  }

  @Test
  void readinessReportsBrokerAndObjectStoreUp() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", is("UP"))
        .body("checks.find { it.name == 'broker' }.status", is("UP"))
        .body("checks.find { it.name == 'object-store' }.status", is("UP"));
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private record Download(long size, String sha256) {}

  private static ObjectNode params() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static JobMessage job(ObjectNode params, int attempt) {
    return job(UUID.randomUUID(), params, attempt);
  }

  private static JobMessage job(UUID jobId, ObjectNode params, int attempt) {
    return new JobMessage(
        JobMessage.VERSION, jobId, "synthetic", attempt, params, List.of(), null, Instant.now());
  }

  /** Event types with runs of stage.progress collapsed, since their number depends on timing. */
  private static List<String> collapseProgress(List<JobEvent> events) {
    List<String> types = new ArrayList<>();
    for (JobEvent e : events) {
      if (!(e.type().equals("stage.progress")
          && !types.isEmpty()
          && types.getLast().equals(e.type()))) {
        types.add(e.type());
      }
    }
    return types;
  }

  private static void assertProgressMovesWithinEachStage(List<JobEvent> events) {
    String stage = null;
    int last = -1;
    for (JobEvent e : events) {
      if (e.payload() instanceof EventPayload.StageProgress p) {
        if (!p.stage().equals(stage)) {
          stage = p.stage();
          last = -1;
        }
        assertThat(p.progress()).isBetween(0, 100).isGreaterThan(last);
        assertThat(p.message()).startsWith("tick ");
        last = p.progress();
      }
    }
  }

  private static String expectedSyntheticSha256(long size) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[8192];
    long k = 0;
    while (k < size) {
      int n = (int) Math.min(buffer.length, size - k);
      for (int i = 0; i < n; i++) {
        buffer[i] = (byte) (((k + i) * 31 + 7) & 0xFF);
      }
      digest.update(buffer, 0, n);
      k += n;
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private Download download(String key) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long size = 0;
    try (InputStream in =
        minio.getObject(
            GetObjectArgs.builder().bucket(storageConfig.bucket()).object(key).build())) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
        size += n;
      }
    }
    return new Download(size, HexFormat.of().formatHex(digest.digest()));
  }

  private List<String> listArtifacts(UUID jobId) throws Exception {
    List<String> keys = new ArrayList<>();
    for (Result<Item> r :
        minio.listObjects(
            ListObjectsArgs.builder()
                .bucket(storageConfig.bucket())
                .prefix("artifacts/" + jobId + "/")
                .recursive(true)
                .build())) {
      keys.add(r.get().objectName());
    }
    return keys;
  }

  private double finished(String outcome) {
    var counter =
        meters
            .find("kiln.worker.jobs.finished")
            .tag("type", "synthetic")
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private void awaitCancelRegistered(UUID jobId, int attempt) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!cancels.isCancelled(jobId, attempt)) {
      assertThat(System.nanoTime()).as("cancel command reached the worker").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static void awaitCounter(java.util.function.DoubleSupplier value, double atLeast)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (value.getAsDouble() < atLeast) {
      assertThat(System.nanoTime()).as("counter reached " + atLeast).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
