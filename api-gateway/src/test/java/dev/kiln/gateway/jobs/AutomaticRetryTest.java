package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.gateway.Api;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.fixtures.SseClient.Frame;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.CancelCommand;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's {@code job.retrying} moves the job to its next attempt, and each attempt ends once: a
 * second event ending an attempt is neither stored nor relayed. The test plays the worker.
 */
@QuarkusTest
class AutomaticRetryTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static LocalBroker broker;

  @TestHTTPResource("/api/v1")
  URL api;

  @Inject AgroalDataSource db;
  @Inject io.minio.MinioClient minio;
  @Inject dev.kiln.gateway.storage.StorageConfig storage;

  @BeforeAll
  static void connect() {
    broker = LocalBroker.connect();
  }

  @AfterAll
  static void disconnect() {
    broker.close();
  }

  private static JobEvent retrying(EventScript w, int next, Instant at) {
    return w.next(new EventPayload.JobRetrying(next, at, "FLAKY", "try again", "stage-1"));
  }

  private static JsonNode data(Frame frame) throws Exception {
    return KilnJson.mapper().readTree(frame.data());
  }

  @Test
  void jobRetryingRequeuesARunningJobAsTheNextAttemptAndALaterAttemptSucceeds() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    Instant due = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    try (SseClient sse =
        SseClient.open(api + "/jobs/" + id + "/events", null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      EventScript first = new EventScript(id, 1, "w1");
      JobEvent lateProgress = first.progress("stage-1", 0, 90);
      EventScript.publish(
          broker,
          first.started("stage-1"),
          first.stageStarted("stage-1", 0),
          first.artifact("partial.bin", 3, "ab"),
          retrying(first, 2, due));
      JsonPath job = Api.awaitStatus(id, "queued");
      assertThat(job.getInt("attempt")).isEqualTo(2);
      assertThat(job.getInt("maxAttempts")).isEqualTo(3);
      assertThat(Instant.parse(job.getString("nextRunAt"))).isEqualTo(due);
      assertThat(job.getString("lastError.code")).isEqualTo("FLAKY");
      assertThat(job.getString("lastError.message")).isEqualTo("try again");
      assertThat(job.getString("lastError.stage")).isEqualTo("stage-1");
      assertThat(job.getString("error")).isNull();
      assertThat(job.getInt("progress")).isZero();
      assertThat(job.getString("stages[0].status")).isEqualTo("pending");
      assertThat(job.getList("artifacts")).isEmpty();

      // stragglers of attempt 1 change nothing; attempt 2 runs to success
      EventScript second = new EventScript(id, 2, "w2");
      EventScript.publish(
          broker,
          lateProgress,
          second.started("stage-1"),
          second.stageStarted("stage-1", 0),
          second.stageCompleted("stage-1", 0),
          second.succeeded());
      job = Api.awaitStatus(id, "succeeded");
      assertThat(job.getInt("attempt")).isEqualTo(2);
      assertThat(job.getString("nextRunAt")).isNull();
      assertThat(job.getString("lastError")).isNull();

      List<Frame> frames = sse.untilEnd(WAIT);
      assertThat(frames)
          .extracting(Frame::event)
          .containsExactly(
              "job.started",
              "stage.started",
              "artifact.created",
              "job.retrying",
              "stage.progress",
              "job.started",
              "stage.started",
              "stage.completed",
              "job.succeeded");
      JsonNode retry = data(frames.get(3));
      assertThat(retry.get("attempt").asInt()).isEqualTo(1);
      assertThat(retry.get("payload").get("nextAttempt").asInt()).isEqualTo(2);
      assertThat(retry.get("job").get("status").asText()).isEqualTo("queued");
      assertThat(retry.get("job").get("attempt").asInt()).isEqualTo(2);
    }
  }

  @Test
  void aNextAttemptThatReportsBeforeItsAnnouncementStillRunsTheJobToItsEnd() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    EventScript first = new EventScript(id, 1, "w1");
    JobEvent announcement = retrying(first, 2, Instant.now());
    EventScript second = new EventScript(id, 2, "w2");
    // the worker parks the retry before it announces it; the announcement arrives last
    EventScript.publish(
        broker,
        first.started("stage-1"),
        second.started("stage-1"),
        second.stageStarted("stage-1", 0),
        second.stageCompleted("stage-1", 0),
        second.succeeded(),
        announcement);
    JsonPath job = Api.awaitStatus(id, "succeeded");
    assertThat(job.getInt("attempt")).isEqualTo(2);
    assertThat(job.getString("stages[0].status")).isEqualTo("succeeded");
  }

  @Test
  void jobRetryingOfAJobThatNeverReportedJobStartedKeepsItQueued() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    EventScript first = new EventScript(id, 1, "w1");
    EventScript.publish(broker, retrying(first, 2, Instant.now()));
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Api.job(id).getInt("attempt") == 2);
    JsonPath job = Api.job(id);
    assertThat(job.getString("status")).isEqualTo("queued");
    assertThat(job.getString("lastError.code")).isEqualTo("FLAKY");
    EventScript second = new EventScript(id, 2, "w2");
    EventScript.publish(broker, second.started("stage-1"), second.succeeded());
    Api.awaitStatus(id, "succeeded");
  }

  @Test
  void theRetryOfAnAttemptTheClientCancelledEndsTheJobCancelled() throws Exception {
    String control = broker.tap(Topology.CONTROL_EXCHANGE, "");
    UUID id = Api.submit("{\"stages\":1}");
    EventScript first = new EventScript(id, 1, "w1");
    EventScript.publish(broker, first.started("stage-1"));
    Api.awaitStatus(id, "running");
    given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
    // the attempt failed before the worker noticed the cancel, and it scheduled the next one
    EventScript.publish(broker, retrying(first, 2, Instant.now().plusSeconds(5)));
    JsonPath job = Api.awaitStatus(id, "cancelled");
    assertThat(job.getInt("attempt")).isEqualTo(2);
    // the worker that takes the delayed message is told to drop it
    boolean told = false;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!told && System.nanoTime() < deadline) {
      var r = broker.next(control, Duration.ofMillis(200));
      if (r != null) {
        CancelCommand c = broker.read(r, CancelCommand.class);
        told = c.jobId().equals(id) && c.attempt() == 2;
      }
    }
    assertThat(told).as("cancel command for attempt 2").isTrue();
    try (SseClient sse =
        SseClient.open(api + "/jobs/" + id + "/events", null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      assertThat(sse.untilEnd(WAIT))
          .extracting(Frame::event)
          .containsExactly("job.started", "job.retrying", "job.cancelled");
    }
  }

  @Test
  void aSecondTerminalEventOfAnAttemptIsNeitherStoredNorRelayed() throws Exception {
    double before = Api.metric("kiln_events_duplicate_terminal_total");
    UUID id = Api.submit("{\"stages\":0}");
    EventScript w = new EventScript(id, 1, "w1");
    // a duplicated job message ran twice: the second run ends the same attempt again
    EventScript again = new EventScript(id, 1, "w2");
    EventScript.publish(broker, w.started(), w.succeeded());
    Api.awaitStatus(id, "succeeded");
    JobEvent late = again.progress("x", 0, 50);
    EventScript.publish(broker, again.failed("LATE", false), late, again.succeeded());
    await()
        .atMost(WAIT)
        .until(() -> Api.metric("kiln_events_duplicate_terminal_total") - before == 2);
    // the second run's other events come after the job ended: not stored either
    assertThat(storedTypes(id)).containsExactly("job.started", "job.succeeded");
    assertThat(Api.job(id).getString("status")).isEqualTo("succeeded");
    try (SseClient sse =
        SseClient.open(api + "/jobs/" + id + "/events", null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      assertThat(sse.untilEnd(WAIT))
          .extracting(Frame::event)
          .containsExactly("job.started", "job.succeeded");
    }
  }

  @Test
  void aWorkersEndOfAnAttemptTheGatewayAlreadyEndedIsDropped() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    // cancelled while queued: the gateway ends attempt 1 itself
    given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
    // a worker that already held the message ran it anyway and reports its own end
    EventScript w = new EventScript(id, 1, "w1");
    String control = broker.tap(Topology.CONTROL_EXCHANGE, "");
    // it even wrote an artifact before it finished
    minio.putObject(
        io.minio.PutObjectArgs.builder()
            .bucket(storage.bucket())
            .object("artifacts/" + id + "/late.bin")
            .stream(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}), 3, -1)
            .build());
    EventScript.publish(
        broker, w.started(), w.artifact("late.bin", 3, "ab"), w.failed("LATE", false));
    // it is told again to stop, and what it wrote is removed
    boolean told = false;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!told && System.nanoTime() < deadline) {
      var r = broker.next(control, Duration.ofMillis(200));
      told = r != null && broker.read(r, CancelCommand.class).jobId().equals(id);
    }
    assertThat(told).as("cancel command sent again").isTrue();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !exists("artifacts/" + id + "/late.bin"));
    // nothing after the gateway's end of the attempt is stored: no SSE client could get it
    assertThat(storedTypes(id)).containsExactly("job.cancelled");
    assertThat(Api.job(id).getString("status")).isEqualTo("cancelled");
    assertThat(Api.job(id).getList("artifacts")).isEmpty();
  }

  private boolean exists(String key) throws Exception {
    try {
      minio.statObject(
          io.minio.StatObjectArgs.builder().bucket(storage.bucket()).object(key).build());
      return true;
    } catch (io.minio.errors.ErrorResponseException e) {
      return false;
    }
  }

  private List<String> storedTypes(UUID jobId) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select type from job_events where job_id = ? order by id")) {
      ps.setObject(1, jobId);
      List<String> types = new java.util.ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
      return types;
    }
  }

  private void awaitStored(UUID jobId, int count) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> storedTypes(jobId).size() >= count);
  }
}
