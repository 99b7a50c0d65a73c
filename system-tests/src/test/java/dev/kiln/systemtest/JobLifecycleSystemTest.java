package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.fixtures.SseClient.Frame;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A job's whole life on two gateway replicas and two workers, each its own OS process: run, stream,
 * download, resume on another replica, cancel, retry, batch and stats.
 */
@ExtendWith(ProcessLogsOnFailure.class)
class JobLifecycleSystemTest {

  private static final Duration JOB_END = Duration.ofSeconds(30);
  private static final String ARTIFACT = "synthetic.bin";

  private static KilnCluster cluster;
  private static KilnApi gatewayA;
  private static KilnApi gatewayB;

  @BeforeAll
  static void startCluster() {
    cluster =
        KilnCluster.builder(JobLifecycleSystemTest.class.getSimpleName())
            .gateways(2)
            .workers(2)
            .start();
    gatewayA = cluster.api(0);
    gatewayB = cluster.api(1);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aJobRunsEndToEndAndItsArtifactBytesMatchTheirChecksum() throws Exception {
    long artifactBytes = 3 * 1024 * 1024;
    UUID id =
        gatewayA.submitSynthetic(
            "{\"stages\":2,\"stageMillis\":300,\"artifactBytes\":" + artifactBytes + "}");

    List<Event> events;
    try (SseClient stream = gatewayA.jobEvents(id, null)) {
      events = Event.of(stream.untilEnd(JOB_END));
    }

    // The artifact is written at the start of the last stage, before its progress ticks, so a
    // cancellation in that stage has something to clean up (SyntheticStage).
    assertThat(shape(events))
        .as("event types in order: %s", events)
        .matches(
            ("job.started stage.started( stage.progress)+ stage.completed"
                    + " stage.started artifact.created( stage.progress)+ stage.completed"
                    + " job.succeeded")
                .replace(".", "\\."));
    assertThat(events.getFirst().payload().path("stages"))
        .extracting(JsonNode::asText)
        .containsExactly("stage-1", "stage-2");
    assertStagesInOrder(events, "stage-1", "stage-2");
    assertThat(events).extracting(Event::id).isSorted().doesNotHaveDuplicates();
    assertThat(events)
        .filteredOn(e -> e.type().equals("stage.progress"))
        .extracting(e -> e.payload().path("progress").asInt())
        .as("stage progress moves between the stage's start and end")
        .anyMatch(p -> p >= 1 && p <= 99);
    List<Integer> jobProgress =
        events.stream().map(e -> e.data().path("job").path("progress").asInt()).toList();
    assertThat(jobProgress).as("job progress never goes back").isSorted();
    assertThat(jobProgress)
        .as("job progress passes through intermediate values")
        .anyMatch(p -> p > 0 && p < 100);
    assertThat(jobProgress.getLast()).isEqualTo(100);
    assertThat(events).extracting(Event::attempt).containsOnly(1);
    assertThat(events)
        .extracting(e -> e.data().path("source").asText())
        .containsOnly(events.getFirst().data().path("source").asText())
        .allMatch(source -> source.startsWith("sys-worker-"));

    JsonNode created =
        events.stream()
            .filter(e -> e.type().equals("artifact.created"))
            .findFirst()
            .orElseThrow()
            .payload();
    String sha256 = created.path("sha256").asText();
    assertThat(created.path("name").asText()).isEqualTo(ARTIFACT);
    assertThat(created.path("size").asLong()).isEqualTo(artifactBytes);
    assertThat(created.path("objectKey").asText()).isEqualTo("artifacts/" + id + "/" + ARTIFACT);
    assertThat(sha256).matches("[0-9a-f]{64}");

    JsonNode job = gatewayB.awaitStatus(id, "succeeded", Duration.ofSeconds(5));
    assertThat(job.path("progress").asInt()).isEqualTo(100);
    assertThat(job.path("attempt").asInt()).isEqualTo(1);
    assertThat(job.path("startedAt").isTextual()).isTrue();
    assertThat(job.path("finishedAt").isTextual()).isTrue();
    assertThat(job.path("error").isMissingNode() || job.path("error").isNull()).isTrue();
    assertThat(job.path("stages"))
        .extracting(s -> s.path("name").asText() + "=" + s.path("status").asText())
        .containsExactly("stage-1=succeeded", "stage-2=succeeded");
    assertThat(job.path("artifacts"))
        .extracting(
            a ->
                a.path("name").asText()
                    + " "
                    + a.path("size").asLong()
                    + " "
                    + a.path("sha256").asText())
        .containsExactly(ARTIFACT + " " + artifactBytes + " " + sha256);

    JsonNode listed = gatewayB.get("/api/v1/jobs/" + id + "/artifacts").json().path("items");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("sha256").asText()).isEqualTo(sha256);
    SyntheticArtifact.Download viaList =
        SyntheticArtifact.fetch(URI.create(listed.get(0).path("url").asText()));
    assertDownload(viaList, artifactBytes, sha256);

    KilnApi.Response redirect = gatewayA.get("/api/v1/jobs/" + id + "/artifacts/" + ARTIFACT);
    assertThat(redirect.status()).as("artifact download answer: %s", redirect).isEqualTo(302);
    URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
    assertDownload(SyntheticArtifact.fetch(location), artifactBytes, sha256);

    assertThat(cluster.objectKeys("artifacts/" + id + "/"))
        .containsExactly("artifacts/" + id + "/" + ARTIFACT);
  }

  @Test
  void bothGatewaysRelayEveryEventOfAJob() throws Exception {
    UUID id = gatewayA.submitSynthetic("{\"stages\":3,\"stageMillis\":500,\"artifactBytes\":1024}");

    List<Event> fromA;
    List<Event> fromB;
    try (SseClient onA = gatewayA.jobEvents(id, null);
        SseClient onB = gatewayB.jobEvents(id, null)) {
      // why: both streams were open while the job was still going, so at least its end reached
      // each gateway live through the relay, not only from the database replay
      assertThat(gatewayA.job(id).path("status").asText())
          .as("the job must still be going when both streams are open")
          .isIn("queued", "running");
      fromA = Event.of(onA.untilEnd(JOB_END));
      fromB = Event.of(onB.untilEnd(JOB_END));
    }

    assertThat(fromA).isNotEmpty();
    assertThat(fromA.getLast().type()).isEqualTo("job.succeeded");
    assertThat(fromA.getFirst().type()).isEqualTo("job.started");
    assertThat(keys(fromB)).as("gateway B's stream").isEqualTo(keys(fromA));
    assertThat(keys(replay(gatewayB, id)))
        .as("a full replay after the end holds exactly what both saw live")
        .isEqualTo(keys(fromA));
  }

  @Test
  void sseResumesOnTheOtherGatewayWithLastEventId() throws Exception {
    UUID id = gatewayA.submitSynthetic("{\"stages\":3,\"stageMillis\":700,\"artifactBytes\":1024}");

    List<Event> firstPart;
    try (SseClient onA = gatewayA.jobEvents(id, null)) {
      firstPart = Event.of(onA.take(4, Duration.ofSeconds(20)));
    }
    assertThat(firstPart).as("first frames from gateway A").hasSize(4);
    assertThat(gatewayB.job(id).path("status").asText())
        .as("the job must still be running when the client resumes")
        .isEqualTo("running");

    long lastSeen = firstPart.getLast().id();
    List<Event> rest;
    try (SseClient onB = gatewayB.jobEvents(id, Long.toString(lastSeen))) {
      rest = Event.of(onB.untilEnd(JOB_END));
    }
    assertThat(rest).as("frames after Last-Event-ID %d from gateway B", lastSeen).isNotEmpty();
    assertThat(rest).extracting(Event::id).allMatch(eventId -> eventId > lastSeen);
    assertThat(rest.getLast().type()).isEqualTo("job.succeeded");

    List<String> union = new ArrayList<>(keys(firstPart));
    union.addAll(keys(rest));
    assertThat(union)
        .as("what the client saw across the reconnect, against a full replay")
        .isEqualTo(keys(replay(gatewayA, id)));
  }

  @Test
  void cancelWhileRunningStopsWithinTwoSecondsAndLeavesNoArtifacts() throws Exception {
    UUID id =
        gatewayA.submitSynthetic("{\"stages\":3,\"stageMillis\":5000,\"artifactBytes\":1048576}");

    List<Event> events = new ArrayList<>();
    long cancelledAfterMillis;
    try (SseClient stream = gatewayB.jobEvents(id, null)) {
      events.addAll(
          readUntil(stream, e -> e.type().equals("stage.progress"), Duration.ofSeconds(20)));

      long t0 = System.nanoTime();
      KilnApi.Response cancel = gatewayA.cancel(id);
      assertThat(cancel.status()).as("cancel answer: %s", cancel).isEqualTo(202);
      assertThat(cancel.json().path("cancelRequested").asBoolean()).isTrue();
      assertThat(cancel.json().path("status").asText())
          .as("a running job ends when its worker stops it")
          .isEqualTo("running");

      events.addAll(
          readUntil(stream, e -> e.type().equals("job.cancelled"), Duration.ofSeconds(10)));
      cancelledAfterMillis = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          "job.cancelled arrived %d ms after the cancel call%n", cancelledAfterMillis);
      events.addAll(Event.of(stream.untilEnd(Duration.ofSeconds(5))));
    }

    assertThat(cancelledAfterMillis)
        .as("job.cancelled arrived %d ms after the cancel call", cancelledAfterMillis)
        .isLessThan(2000);
    assertThat(events.getLast().type())
        .as("the stream ends with the cancellation")
        .isEqualTo("job.cancelled");
    assertThat(events)
        .extracting(Event::type)
        .doesNotContain("job.succeeded", "job.failed", "artifact.created");
    JsonNode job = gatewayB.awaitStatus(id, "cancelled", Duration.ofSeconds(5));
    assertThat(job.path("cancelRequested").asBoolean()).isTrue();
    assertThat(job.path("artifacts")).isEmpty();
    assertThat(cluster.objectKeys("artifacts/" + id + "/")).isEmpty();
  }

  @Test
  void cancelDuringTheArtifactStageDeletesTheWrittenArtifact() throws Exception {
    // One stage: SyntheticStage writes the artifact first, then ticks for 5 s.
    UUID id =
        gatewayA.submitSynthetic("{\"stages\":1,\"stageMillis\":5000,\"artifactBytes\":1048576}");
    String prefix = "artifacts/" + id + "/";

    List<Event> events = new ArrayList<>();
    try (SseClient stream = gatewayB.jobEvents(id, null)) {
      events.addAll(
          readUntil(stream, e -> e.type().equals("stage.progress"), Duration.ofSeconds(20)));
      assertThat(events).extracting(Event::type).contains("artifact.created");
      assertThat(cluster.objectKeys(prefix))
          .as("the artifact exists before the cancellation")
          .containsExactly(prefix + ARTIFACT);

      KilnApi.Response cancel = gatewayB.cancel(id);
      assertThat(cancel.status()).as("cancel answer: %s", cancel).isEqualTo(202);
      events.addAll(Event.of(stream.untilEnd(Duration.ofSeconds(10))));
    }

    assertThat(events.getLast().type()).isEqualTo("job.cancelled");
    gatewayA.awaitStatus(id, "cancelled", Duration.ofSeconds(5));
    assertThat(cluster.objectKeys(prefix)).as("objects left under %s", prefix).isEmpty();
    // A cancelled job must not offer downloads of what its worker deleted.
    assertThat(gatewayA.job(id).path("artifacts"))
        .as("artifacts GET /jobs/{id} lists for the cancelled job")
        .isEmpty();
    assertThat(gatewayA.get("/api/v1/jobs/" + id + "/artifacts").json().path("items"))
        .as("artifacts GET /jobs/{id}/artifacts lists for the cancelled job")
        .isEmpty();
  }

  @Test
  void retryRunsANewAttemptUnderTheSameId() throws Exception {
    UUID id =
        gatewayA.submitSynthetic(
            "{\"stages\":2,\"stageMillis\":100,\"failAtStage\":1,\"failRetryable\":false,"
                + "\"failCode\":\"SYS_FAIL\"}");

    JsonNode failed = gatewayA.awaitStatus(id, "failed", JOB_END);
    assertThat(failed.path("attempt").asInt()).isEqualTo(1);
    assertThat(failed.path("error").path("code").asText()).isEqualTo("SYS_FAIL");
    assertThat(failed.path("error").path("stage").asText()).isEqualTo("stage-1");
    assertThat(failed.path("error").path("retryable").isBoolean()).isTrue();
    assertThat(failed.path("error").path("retryable").asBoolean()).isFalse();

    KilnApi.Response retry = gatewayB.retry(id);
    assertThat(retry.status()).as("retry answer: %s", retry).isEqualTo(202);
    assertThat(retry.json().path("id").asText()).isEqualTo(id.toString());
    assertThat(retry.json().path("attempt").asInt()).isEqualTo(2);
    assertThat(retry.json().path("status").asText()).isEqualTo("queued");

    List<Event> events;
    try (SseClient stream = gatewayA.jobEvents(id, null)) {
      events = Event.of(stream.untilEnd(JOB_END));
    }
    List<Event> second = events.stream().filter(e -> e.attempt() == 2).toList();
    assertThat(events.stream().filter(e -> e.attempt() == 1).map(Event::type))
        .as("attempt 1 stays in the history")
        .startsWith("job.started")
        .endsWith("job.failed");
    assertThat(second).as("attempt 2: %s", second).isNotEmpty();
    assertThat(second.getFirst().type()).isEqualTo("job.queued");
    assertThat(second.getFirst().data().path("source").asText()).isEqualTo("gateway");
    assertThat(second.get(1).type()).isEqualTo("job.started");
    assertThat(second.get(1).data().path("source").asText()).startsWith("sys-worker-");
    assertThat(second.getLast().type()).isEqualTo("job.failed");
    assertThat(events.getLast())
        .as("the stream ends with the newest attempt's end")
        .isEqualTo(second.getLast());

    JsonNode again = gatewayB.awaitStatus(id, "failed", Duration.ofSeconds(5));
    assertThat(again.path("attempt").asInt()).isEqualTo(2);
    assertThat(again.path("error").path("code").asText()).isEqualTo("SYS_FAIL");

    UUID succeeded = gatewayA.submitSynthetic("{\"stages\":1,\"stageMillis\":50}");
    gatewayA.awaitStatus(succeeded, "succeeded", JOB_END);
    KilnApi.Response refused = gatewayB.retry(succeeded);
    assertThat(refused.status()).as("retry of a succeeded job: %s", refused).isEqualTo(409);
    assertThat(refused.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(refused.json().path("code").asText()).isEqualTo("INVALID_STATE");
    assertThat(gatewayA.job(succeeded).path("attempt").asInt()).isEqualTo(1);
  }

  @Test
  void aBatchRunsAllItsJobsAndCountsThemAsSucceeded() {
    UUID batchId = UUID.fromString(submitQuickBatch(20).path("id").asText());

    JsonNode batch =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> gatewayB.get("/api/v1/batches/" + batchId).json(),
                b -> b.path("finished").asBoolean());
    assertThat(batch.path("jobCount").asInt()).isEqualTo(20);
    assertThat(batch.path("counts").path("succeeded").asLong()).as("batch %s", batch).isEqualTo(20);
    assertThat(batch.path("progress").asInt()).isEqualTo(100);
  }

  @Test
  void aBatchRunsAllItsJobsAndItsStreamEnds() throws Exception {
    JsonNode accepted = submitQuickBatch(20);
    UUID batchId = UUID.fromString(accepted.path("id").asText());
    Set<String> jobIds = new HashSet<>();
    accepted.path("jobIds").forEach(j -> jobIds.add(j.asText()));
    assertThat(jobIds).hasSize(20);

    List<Event> events;
    try (SseClient stream = gatewayB.batchEvents(batchId)) {
      events = Event.of(stream.untilEnd(Duration.ofSeconds(60)));
    }

    List<Event> replayed;
    try (SseClient stream = gatewayB.batchEvents(batchId)) {
      replayed = Event.of(stream.untilEnd(Duration.ofSeconds(10)));
    }
    assertThat(keys(events))
        .as("the live batch stream against a replay of the finished batch")
        .isEqualTo(keys(replayed));
    List<Event> succeeded = events.stream().filter(e -> e.type().equals("job.succeeded")).toList();
    assertThat(succeeded).hasSize(20);
    assertThat(succeeded)
        .extracting(e -> e.data().path("jobId").asText())
        .containsExactlyInAnyOrderElementsOf(jobIds);
    assertThat(events).extracting(e -> e.data().path("jobId").asText()).allMatch(jobIds::contains);
    assertThat(events).extracting(Event::id).isSorted().doesNotHaveDuplicates();

    JsonNode batch = gatewayA.get("/api/v1/batches/" + batchId).json();
    assertThat(batch.path("jobCount").asInt()).isEqualTo(20);
    assertThat(batch.path("counts").path("succeeded").asLong()).isEqualTo(20);
    assertThat(batch.path("finished").asBoolean()).isTrue();
    assertThat(batch.path("progress").asInt()).isEqualTo(100);
  }

  @Test
  void statsSeeBothWorkers() {
    for (KilnCluster.Node gateway : cluster.gateways()) {
      KilnApi api = new KilnApi(gateway.baseUri());
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(250))
          .alias("workers in the stats of " + gateway)
          .untilAsserted(
              () -> {
                JsonNode stats = api.get("/api/v1/stats").json();
                assertThat(stats.path("workers"))
                    .extracting(w -> w.path("id").asText())
                    .as("stats of %s: %s", gateway, stats)
                    .contains("sys-worker-1", "sys-worker-2");
              });
      JsonNode stats = api.get("/api/v1/stats").json();
      for (JsonNode worker : stats.path("workers")) {
        assertThat(worker.path("capacity").asInt()).isEqualTo(4);
        assertThat(
                StreamSupport.stream(worker.path("types").spliterator(), false)
                    .map(JsonNode::asText))
            .containsExactly("extraction", "reconstruction", "synthetic");
      }
      assertThat(stats.path("queues").path("kiln.jobs.synthetic").asLong())
          .as("queue depth read from the broker")
          .isGreaterThanOrEqualTo(0);
    }
  }

  // ---- helpers

  /** Submits {@code count} one-stage 50 ms jobs as one batch through gateway A; the 202 body. */
  private static JsonNode submitQuickBatch(int count) {
    String jobs =
        IntStream.range(0, count)
            .mapToObj(i -> "{\"type\":\"synthetic\",\"params\":{\"stages\":1,\"stageMillis\":50}}")
            .collect(Collectors.joining(","));
    KilnApi.Response accepted = gatewayA.post("/api/v1/batches", "{\"jobs\":[" + jobs + "]}");
    assertThat(accepted.status()).as("batch answer: %s", accepted).isEqualTo(202);
    assertThat(accepted.json().path("jobIds")).hasSize(count);
    return accepted.json();
  }

  // ------------------------------------------------------------------------------------

  /** Event types separated by spaces, for matching the whole sequence at once. */
  private static String shape(List<Event> events) {
    return events.stream().map(Event::type).collect(Collectors.joining(" "));
  }

  /** Stage events name the stage that was started last, and stages start in order. */
  private static void assertStagesInOrder(List<Event> events, String... stages) {
    List<String> started = new ArrayList<>();
    String current = null;
    for (Event e : events) {
      switch (e.type()) {
        case "stage.started" -> {
          current = e.payload().path("stage").asText();
          started.add(current);
          assertThat(e.payload().path("index").asInt()).isEqualTo(started.size() - 1);
        }
        case "stage.progress", "stage.completed" ->
            assertThat(e.payload().path("stage").asText()).as("stage of %s", e).isEqualTo(current);
        default -> {}
      }
    }
    assertThat(started).containsExactly(stages);
  }

  private static List<String> keys(List<Event> events) {
    return events.stream().map(Event::key).toList();
  }

  private static List<Event> replay(KilnApi api, UUID id) throws InterruptedException {
    try (SseClient stream = api.jobEvents(id, null)) {
      return Event.of(stream.untilEnd(Duration.ofSeconds(10)));
    }
  }

  /** Reads frames up to and including the first that matches. */
  static List<Event> readUntil(SseClient stream, Predicate<Event> until, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Event> read = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      Frame frame = stream.next(Duration.ofMillis(100));
      if (frame != null) {
        Event event = Event.of(frame);
        read.add(event);
        if (until.test(event)) {
          return read;
        }
      } else if (stream.ended()) {
        break;
      }
    }
    throw new AssertionError(
        "the awaited event did not arrive within " + timeout + "; read " + read);
  }

  private static void assertDownload(
      SyntheticArtifact.Download download, long size, String sha256) {
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.size()).isEqualTo(size);
    assertThat(download.sha256()).isEqualTo(sha256);
    assertThat(download.firstPatternMismatch())
        .as("offset of the first byte that breaks the pattern (k*31+7)&0xFF")
        .isEqualTo(-1);
  }
}
