package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.rabbitmq.client.GetResponse;
import dev.kiln.gateway.Api;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.messages.CancelCommand;
import dev.kiln.model.messages.JobMessage;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CancelRetryTest {

  private static LocalBroker broker;

  @TestHTTPResource("/api/v1")
  URL api;

  @BeforeAll
  static void connect() {
    broker = LocalBroker.connect();
  }

  @AfterAll
  static void disconnect() {
    broker.close();
  }

  @Test
  void cancelWhileQueuedEndsTheJobAtOnceAndTellsTheWorkers() throws Exception {
    String control = broker.tap(Topology.CONTROL_EXCHANGE, "");
    UUID id = Api.submit("{}");
    given()
        .post("/api/v1/jobs/" + id + "/cancel")
        .then()
        .statusCode(202)
        .body("status", equalTo("cancelled"))
        .body("cancelRequested", equalTo(true));
    assertThat(awaitCancel(control, id).attempt()).isEqualTo(1);
    try (SseClient sse =
        SseClient.open(api + "/jobs/" + id + "/events", null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      List<SseClient.Frame> frames = sse.untilEnd(Duration.ofSeconds(10));
      assertThat(frames).extracting(SseClient.Frame::event).containsExactly("job.cancelled");
      assertThat(frames.get(0).data()).contains("\"source\":\"gateway\"");
    }
    // a worker that never heard the broadcast starts it anyway: the job stays cancelled and the
    // worker is told again
    EventScript.publish(broker, new EventScript(id, 1, "late-worker").started());
    awaitCancel(control, id);
    assertThat(Api.job(id).getString("status")).isEqualTo("cancelled");
  }

  @Test
  void cancelWhileRunningAsksTheWorkerAndEndsWhenItConfirms() throws Exception {
    String control = broker.tap(Topology.CONTROL_EXCHANGE, "");
    UUID id = Api.submit("{\"stages\":1}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(
        broker,
        w.started("stage-1"),
        w.stageStarted("stage-1", 0),
        w.artifact("partial.bin", 3, "ef"));
    Api.awaitStatus(id, "running");
    given()
        .post("/api/v1/jobs/" + id + "/cancel")
        .then()
        .statusCode(202)
        .body("status", equalTo("running"))
        .body("cancelRequested", equalTo(true));
    awaitCancel(control, id);
    EventScript.publish(
        broker,
        w.next(new dev.kiln.model.events.EventPayload.JobCancelled("requested", "stage-1")));
    var job = Api.awaitStatus(id, "cancelled");
    assertThat(job.getString("stages[0].status")).isEqualTo("cancelled");
    assertThat(job.getList("artifacts")).isEmpty();
    given()
        .get("/api/v1/jobs/" + id + "/artifacts")
        .then()
        .statusCode(200)
        .body("items", org.hamcrest.Matchers.empty());
  }

  @Test
  void retryStartsANewAttemptUnderTheSameId() throws Exception {
    String jobs = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID id = Api.submit("{\"stages\":1}");
    EventScript first = new EventScript(id, 1, "w1");
    EventScript.publish(broker, first.started("stage-1"), first.failed("FLAKY", true));
    Api.awaitStatus(id, "failed");
    given()
        .post("/api/v1/jobs/" + id + "/retry")
        .then()
        .statusCode(202)
        .body("status", equalTo("queued"))
        .body("attempt", equalTo(2))
        .body("error", equalTo(null));
    List<Integer> attempts = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (attempts.size() < 2 && System.nanoTime() < deadline) {
      GetResponse r = broker.next(jobs, Duration.ofMillis(200));
      if (r != null) {
        JobMessage m = broker.read(r, JobMessage.class);
        if (m.jobId().equals(id)) {
          attempts.add(m.attempt());
        }
      }
    }
    assertThat(attempts).containsExactly(1, 2);
    // a straggler from attempt 1 changes nothing; attempt 2 runs to success
    EventScript second = new EventScript(id, 2, "w2");
    EventScript.publish(broker, first.succeeded(), second.started("stage-1"), second.succeeded());
    var job = Api.awaitStatus(id, "succeeded");
    assertThat(job.getInt("attempt")).isEqualTo(2);
  }

  @Test
  void aRedeliveredRunOfAJobWithACancelRequestIsToldToStopAgain() throws Exception {
    String control = broker.tap(Topology.CONTROL_EXCHANGE, "");
    UUID id = Api.submit("{\"stages\":1}");
    EventScript first = new EventScript(id, 1, "w1");
    EventScript.publish(broker, first.started("stage-1"));
    Api.awaitStatus(id, "running");
    given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
    awaitCancel(control, id);
    // the first worker died; the broker hands the message to a worker that never heard the cancel
    EventScript.publish(broker, new EventScript(id, 1, "w2").started("stage-1"));
    assertThat(awaitCancel(control, id).attempt()).isEqualTo(1);
  }

  @Test
  void retryingARunningJobIs409() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    EventScript.publish(broker, new EventScript(id, 1, "w1").started("stage-1"));
    Api.awaitStatus(id, "running");
    given()
        .post("/api/v1/jobs/" + id + "/retry")
        .then()
        .statusCode(409)
        .body("code", equalTo("INVALID_STATE"));
  }

  private static CancelCommand awaitCancel(String control, UUID id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse r = broker.next(control, Duration.ofMillis(200));
      if (r != null) {
        CancelCommand c = broker.read(r, CancelCommand.class);
        if (c.jobId().equals(id)) {
          return c;
        }
      }
    }
    throw new AssertionError("no cancel command for " + id);
  }
}
