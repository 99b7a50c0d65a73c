package dev.kiln.gateway.events;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.gateway.Api;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.fixtures.SseClient.Frame;
import dev.kiln.model.json.KilnJson;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event path through the real broker and database: a test plays the worker's part by publishing
 * events to {@code kiln.events}, and reads them back over SSE.
 */
@QuarkusTest
class EventStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static LocalBroker broker;

  @TestHTTPResource("/api/v1")
  URL api;

  @Inject AgroalDataSource db;

  @BeforeAll
  static void connect() {
    broker = LocalBroker.connect();
  }

  @AfterAll
  static void disconnect() {
    broker.close();
  }

  private String events(UUID id) {
    return api + "/jobs/" + id + "/events";
  }

  private static List<String> types(List<Frame> frames) {
    return frames.stream().map(Frame::event).toList();
  }

  private static JsonNode data(Frame frame) throws Exception {
    return KilnJson.mapper().readTree(frame.data());
  }

  @Test
  void eventsAreStoredOnceProjectedOntoTheJobAndReplayedInOrder() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    EventScript w = new EventScript(id, 1, "w1");
    JobEvent started = w.started("stage-1");
    JobEvent progress = w.progress("stage-1", 0, 50);
    EventScript.publish(
        broker,
        started,
        started, // a redelivered duplicate
        w.stageStarted("stage-1", 0),
        progress,
        progress,
        w.stageCompleted("stage-1", 0),
        w.artifact("synthetic.bin", 4, "abcd"),
        w.succeeded());
    var job = Api.awaitStatus(id, "succeeded");
    assertThat(job.getInt("progress")).isEqualTo(100);
    assertThat(job.getString("stages[0].status")).isEqualTo("succeeded");
    assertThat(job.getString("artifacts[0].name")).isEqualTo("synthetic.bin");
    assertThat(job.getString("artifacts[0].sha256")).isEqualTo("abcd");

    try (SseClient sse = SseClient.open(events(id), null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      List<Frame> frames = sse.untilEnd(WAIT);
      assertThat(types(frames))
          .containsExactly(
              "job.started",
              "stage.started",
              "stage.progress",
              "stage.completed",
              "artifact.created",
              "job.succeeded");
      assertThat(frames.stream().map(f -> Long.parseLong(f.id())))
          .isSorted()
          .doesNotHaveDuplicates();
      JsonNode last = data(frames.get(frames.size() - 1));
      assertThat(last.get("job").get("status").asText()).isEqualTo("succeeded");
      assertThat(last.get("seq").asLong()).isEqualTo(6);
      assertThat(data(frames.get(2)).get("payload").get("progress").asInt()).isEqualTo(50);
    }
    assertThat(storedEvents(id)).isEqualTo(6);
  }

  @Test
  void resumingWithLastEventIdReplaysTheRestThenGoesLiveWithoutGapOrDuplicate() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    EventScript w = new EventScript(id, 1, "w1");
    String resumeFrom;
    try (SseClient first = SseClient.open(events(id), null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      EventScript.publish(
          broker, w.started("stage-1"), w.stageStarted("stage-1", 0), w.progress("stage-1", 0, 10));
      List<Frame> got = first.take(3, WAIT);
      assertThat(types(got)).containsExactly("job.started", "stage.started", "stage.progress");
      resumeFrom = got.get(1).id();
    }
    // while nobody listens
    EventScript.publish(broker, w.progress("stage-1", 0, 60));
    awaitStoredEvents(id, 4);
    try (SseClient resumed =
        SseClient.open(events(id), resumeFrom, dev.kiln.gateway.Api.ADMIN_KEY)) {
      List<Frame> replayed = resumed.take(2, WAIT);
      assertThat(replayed)
          .extracting(f -> data(f).get("payload").get("progress").asInt())
          .containsExactly(10, 60);
      EventScript.publish(broker, w.stageCompleted("stage-1", 0), w.succeeded());
      List<Frame> live = resumed.untilEnd(WAIT);
      assertThat(types(live)).containsExactly("stage.completed", "job.succeeded");
      assertThat(Long.parseLong(live.get(0).id()))
          .isGreaterThan(Long.parseLong(replayed.get(1).id()));
    }
  }

  @Test
  void aStreamOpenedAfterTheJobEndedReplaysEverythingAndCloses() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started(), w.failed("SCRIPTED", false));
    Api.awaitStatus(id, "failed");
    try (SseClient sse = SseClient.open(events(id), null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      List<Frame> frames = sse.untilEnd(WAIT);
      assertThat(types(frames)).containsExactly("job.started", "job.failed");
      assertThat(data(frames.get(1)).get("payload").get("code").asText()).isEqualTo("SCRIPTED");
    }
  }

  @Test
  void eventsArrivingAsOneBatchMessageAreStoredAndStreamedLikeSingleOnes() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publishBatch(broker, w.started("stage-1"), w.stageStarted("stage-1", 0));
    EventScript.publishBatch(broker, w.stageCompleted("stage-1", 0), w.succeeded());
    var job = Api.awaitStatus(id, "succeeded");
    assertThat(job.getInt("progress")).isEqualTo(100);
    try (SseClient sse = SseClient.open(events(id), null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      assertThat(types(sse.untilEnd(WAIT)))
          .containsExactly("job.started", "stage.started", "stage.completed", "job.succeeded");
    }
  }

  @Test
  void aMessageThatIsNotAJobEventIsDroppedAndTheEventsAroundItAreStored() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started());
    // why: what an older gateway saw when a worker sent a batch: valid JSON, no event in it
    broker.publish(
        dev.kiln.model.broker.Topology.EVENTS_EXCHANGE,
        "job.started",
        java.util.Map.of("v", 1, "events", List.of()));
    EventScript.publish(broker, w.succeeded());

    Api.awaitStatus(id, "succeeded");
    try (SseClient sse = SseClient.open(events(id), null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      assertThat(types(sse.untilEnd(WAIT))).containsExactly("job.started", "job.succeeded");
    }
  }

  @Test
  void reconnectingAfterTheLastEventIsAnsweredWithNoContent() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started(), w.succeeded());
    Api.awaitStatus(id, "succeeded");
    String lastId;
    try (SseClient sse = SseClient.open(events(id), null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      List<Frame> frames = sse.untilEnd(WAIT);
      lastId = frames.get(frames.size() - 1).id();
    }
    // why: 204 is what makes a browser's EventSource stop reconnecting
    given()
        .header("Last-Event-ID", lastId)
        .get("/api/v1/jobs/" + id + "/events")
        .then()
        .statusCode(204);
    try (SseClient again =
        SseClient.open(
            events(id),
            String.valueOf(Long.parseLong(lastId) - 1),
            dev.kiln.gateway.Api.ADMIN_KEY)) {
      assertThat(types(again.untilEnd(WAIT))).containsExactly("job.succeeded");
    }
  }

  @Test
  void anArtifactOutsideTheJobsOwnPrefixIsNeverRecorded() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    EventScript w = new EventScript(id, 1, "w1");
    JobEvent foreign =
        w.next(
            new dev.kiln.model.events.EventPayload.ArtifactCreated(
                "secret.bin",
                "inputs/" + UUID.randomUUID() + "/secret.bin",
                4,
                "application/octet-stream",
                "ab"));
    EventScript.publish(broker, w.started(), foreign, w.artifact("ok.bin", 2, "cd"), w.succeeded());
    var job = Api.awaitStatus(id, "succeeded");
    assertThat(job.getList("artifacts.name")).containsExactly("ok.bin");
  }

  @Test
  void anEventAfterTheJobEndedIsNotStoredAndNeverMovesTheJobBackwards() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    EventScript w = new EventScript(id, 1, "w1");
    JobEvent late = w.progress("stage-1", 0, 30);
    UUID marker = Api.submit("{\"stages\":0}");
    EventScript.publish(
        broker,
        w.started("stage-1"),
        w.succeeded(),
        late,
        new EventScript(marker, 1, "w1").started());
    // the marker's event is stored after the late one was looked at
    awaitStoredEvents(marker, 1);
    // why: streams end at the terminal event, so an event stored behind it would reach nobody
    assertThat(storedEvents(id)).isEqualTo(2);
    var job = Api.job(id);
    assertThat(job.getString("status")).isEqualTo("succeeded");
    assertThat(job.getInt("progress")).isEqualTo(100);
  }

  @Test
  void eventsForUnknownJobsAreDropped() throws Exception {
    UUID ghost = UUID.randomUUID();
    EventScript.publish(broker, new EventScript(ghost, 1, "w1").started());
    UUID id = Api.submit("{\"stages\":0}");
    EventScript.publish(broker, new EventScript(id, 1, "w1").started());
    Api.awaitStatus(id, "running");
    assertThat(storedEvents(ghost)).isZero();
  }

  @Test
  void theAllJobsStreamFiltersByStatus() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    try (SseClient sse =
        SseClient.open(
            api + "/events?status=succeeded&type=synthetic",
            null,
            dev.kiln.gateway.Api.ADMIN_KEY)) {
      EventScript w = new EventScript(id, 1, "w1");
      EventScript.publish(broker, w.started(), w.succeeded());
      Frame frame = null;
      for (int i = 0; i < 50 && frame == null; i++) {
        Frame f = sse.next(Duration.ofMillis(500));
        if (f != null && data(f).get("jobId").asText().equals(id.toString())) {
          frame = f;
        }
      }
      assertThat(frame).isNotNull();
      assertThat(frame.event()).isEqualTo("job.succeeded");
    }
  }

  @Test
  void theAllJobsStreamResumesAfterLastEventId() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started(), w.succeeded());
    awaitStoredEvents(id, 2);
    long started;
    try (SseClient sse = SseClient.open(events(id), null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      started = Long.parseLong(sse.untilEnd(WAIT).get(0).id());
    }
    try (SseClient all =
        SseClient.open(
            api + "/events", String.valueOf(started - 1), dev.kiln.gateway.Api.ADMIN_KEY)) {
      List<Frame> replayed = all.take(2, WAIT);
      assertThat(replayed).extracting(Frame::id).first().isEqualTo(String.valueOf(started));
      assertThat(all.ended()).isFalse();
    }
  }

  @Test
  void aBatchStreamEndsWhenEveryJobOfTheBatchHasEnded() throws Exception {
    var accepted =
        given()
            .contentType(ContentType.JSON)
            .body("{\"jobs\":[{\"type\":\"synthetic\"},{\"type\":\"synthetic\"}]}")
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract()
            .jsonPath();
    List<String> jobs = accepted.getList("jobIds");
    try (SseClient sse =
        SseClient.open(
            api + "/batches/" + accepted.getString("id") + "/events",
            null,
            dev.kiln.gateway.Api.ADMIN_KEY)) {
      for (String job : jobs) {
        EventScript w = new EventScript(UUID.fromString(job), 1, "w1");
        EventScript.publish(broker, w.started(), w.succeeded());
      }
      List<Frame> frames = sse.untilEnd(WAIT);
      assertThat(frames.stream().filter(f -> f.event().equals("job.succeeded"))).hasSize(2);
    }
    given()
        .get("/api/v1/batches/" + accepted.getString("id"))
        .then()
        .statusCode(200)
        .body("finished", org.hamcrest.Matchers.equalTo(true))
        .body("progress", org.hamcrest.Matchers.equalTo(100));
  }

  private long storedEvents(UUID jobId) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select count(*) from job_events where job_id = ?")) {
      ps.setObject(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void awaitStoredEvents(UUID jobId, long count) {
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> storedEvents(jobId) >= count);
  }
}
