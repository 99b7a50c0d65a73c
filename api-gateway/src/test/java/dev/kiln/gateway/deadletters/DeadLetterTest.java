package dev.kiln.gateway.deadletters;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.kiln.gateway.Api;
import dev.kiln.gateway.jobs.Messages;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.fixtures.SseClient.Frame;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.JobMessage;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dead letters through the real broker: the test publishes what RabbitMQ would dead-letter (the job
 * message with an {@code x-death} header) to {@code kiln.dead}.
 */
@QuarkusTest
class DeadLetterTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
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

  /** Publishes the job's message for {@code attempt} as RabbitMQ dead-letters it. */
  private static void deadLetter(UUID id, int attempt, String reason, long count) throws Exception {
    JobMessage message = Api.jobMessage(id, attempt);
    Map<String, Object> death =
        Map.of(
            "count",
            count,
            "reason",
            reason,
            "queue",
            Topology.workQueue("synthetic"),
            "time",
            new Date(),
            "exchange",
            Topology.JOBS_EXCHANGE,
            "routing-keys",
            List.of("synthetic"));
    Channel ch = broker.channel();
    ch.basicPublish(
        Topology.DEAD_EXCHANGE,
        "",
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .headers(Map.of("x-death", List.of(death)))
            .build(),
        KilnJson.mapper().writeValueAsBytes(message));
  }

  private static JsonPath letterOf(UUID jobId) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> find(jobId) != null);
    return find(jobId);
  }

  private static JsonPath find(UUID jobId) {
    JsonPath page =
        given()
            .queryParam("limit", 100)
            .get("/api/v1/dead-letters")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<Map<String, Object>> items = page.getList("items");
    for (int i = 0; i < items.size(); i++) {
      if (jobId.toString().equals(items.get(i).get("jobId"))) {
        return new JsonPath(page.prettify()).setRootPath("items[" + i + "]");
      }
    }
    return null;
  }

  @Test
  void aPoisonMessageIsListedEndsItsRunningJobAndRequeueRunsANewAttempt() throws Exception {
    String jobs = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID id = Api.submit("{\"stages\":1}");
    try (SseClient sse =
        SseClient.open(api + "/jobs/" + id + "/events", null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      EventScript w = new EventScript(id, 1, "w1");
      EventScript.publish(broker, w.started("stage-1"), w.stageStarted("stage-1", 0));
      Api.awaitStatus(id, "running");
      // every worker that took the message died; the broker gave up after the delivery limit
      deadLetter(id, 1, "delivery_limit", 5);

      JsonPath letter = letterOf(id);
      assertThat(letter.getString("reason")).isEqualTo("delivery_limit");
      assertThat(letter.getString("jobType")).isEqualTo("synthetic");
      assertThat(letter.getInt("attempt")).isEqualTo(1);
      assertThat(letter.getString("queue")).isEqualTo("kiln.jobs.synthetic");
      assertThat(letter.getLong("deathCount")).isEqualTo(5);
      assertThat(letter.getString("message.jobId")).isEqualTo(id.toString());
      assertThat(letter.getString("links.job")).isEqualTo("/api/v1/jobs/" + id);

      JsonPath job = Api.awaitStatus(id, "failed");
      assertThat(job.getString("error.code")).isEqualTo("DELIVERY_LIMIT_EXCEEDED");
      assertThat(job.getBoolean("error.retryable")).isFalse();
      assertThat(job.getString("error.stage")).isEqualTo("stage-1");
      List<Frame> frames = sse.untilEnd(WAIT);
      Frame end = frames.get(frames.size() - 1);
      assertThat(end.event()).isEqualTo("job.failed");
      assertThat(end.data()).contains("\"source\":\"gateway\"", "DELIVERY_LIMIT_EXCEEDED");
      Messages.await(broker, jobs, id, 1);

      given()
          .post("/api/v1/dead-letters/" + letter.getString("id") + "/requeue")
          .then()
          .statusCode(202)
          .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/jobs/" + id))
          .body("id", equalTo(id.toString()))
          .body("status", equalTo("queued"))
          .body("attempt", equalTo(2))
          .body("error", equalTo(null));
      JobMessage second = Messages.await(broker, jobs, id, 2);
      assertThat(second.policy().maxAttempts()).isEqualTo(3);
      assertThat(find(id)).as("the dead letter is removed").isNull();
      problem(
          given().post("/api/v1/dead-letters/" + letter.getString("id") + "/requeue").then(),
          404,
          "DEAD_LETTER_NOT_FOUND");
    }
    EventScript second = new EventScript(id, 2, "w2");
    EventScript.publish(broker, second.started("stage-1"), second.succeeded());
    Api.awaitStatus(id, "succeeded");
  }

  @Test
  void theLastAttemptsRejectedMessageIsListedButItsWorkerEndsTheJob() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started("stage-1"));
    Api.awaitStatus(id, "running");
    deadLetter(id, 1, "rejected", 1);
    assertThat(letterOf(id).getString("reason")).isEqualTo("rejected");
    // the worker's own job.failed (with its code) ends the job, not the dead letter
    assertThat(Api.job(id).getString("status")).isEqualTo("running");
    EventScript.publish(broker, w.failed("SCRIPTED", false));
    assertThat(Api.awaitStatus(id, "failed").getString("error.code")).isEqualTo("SCRIPTED");
  }

  @Test
  void aRedeliveredDeadLetterIsRecordedOnce() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    deadLetter(id, 1, "delivery_limit", 5);
    deadLetter(id, 1, "delivery_limit", 5);
    letterOf(id);
    Api.awaitStatus(id, "failed");
    Thread.sleep(300);
    long count =
        given()
            .queryParam("limit", 100)
            .get("/api/v1/dead-letters")
            .jsonPath()
            .getList("items.jobId")
            .stream()
            .filter(id.toString()::equals)
            .count();
    assertThat(count).isEqualTo(1);
  }

  @Test
  void aDeadLetterOfAnOlderAttemptLeavesTheJobAlone() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started(), w.failed("SCRIPTED", true));
    Api.awaitStatus(id, "failed");
    given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(202);
    deadLetter(id, 1, "delivery_limit", 5);
    letterOf(id);
    JsonPath job = Api.job(id);
    assertThat(job.getString("status")).isEqualTo("queued");
    assertThat(job.getInt("attempt")).isEqualTo(2);
  }

  @Test
  void requeueNeedsAFailedJob() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    EventScript w = new EventScript(id, 1, "w1");
    deadLetter(id, 1, "rejected", 1);
    String letter = letterOf(id).getString("id");
    problem(
        given().post("/api/v1/dead-letters/" + letter + "/requeue").then(), 409, "INVALID_STATE");
    EventScript.publish(broker, w.started(), w.succeeded());
    Api.awaitStatus(id, "succeeded");
    problem(
        given().post("/api/v1/dead-letters/" + letter + "/requeue").then(), 409, "INVALID_STATE");
    assertThat(find(id)).as("a refused requeue keeps the dead letter").isNotNull();
  }

  @Test
  void aBodyThatIsNotAJobMessageIsKeptAsIs() throws Exception {
    String marker = "not json " + UUID.randomUUID();
    broker
        .channel()
        .basicPublish(
            Topology.DEAD_EXCHANGE,
            "",
            new AMQP.BasicProperties.Builder().deliveryMode(2).build(),
            marker.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                given()
                    .queryParam("limit", 100)
                    .get("/api/v1/dead-letters")
                    .jsonPath()
                    .getList("items.message")
                    .contains(marker));
  }

  @Test
  void listingFiltersByTypeAndPagesWithACursor() throws Exception {
    for (int i = 0; i < 3; i++) {
      UUID id = Api.submit("{\"stages\":0}");
      deadLetter(id, 1, "rejected", 1);
      letterOf(id);
    }
    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    boolean more = true;
    while (more) {
      var request = given().queryParam("limit", 2).queryParam("type", "synthetic");
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page =
          request.get("/api/v1/dead-letters").then().statusCode(200).extract().jsonPath();
      assertThat(page.getList("items")).hasSizeLessThanOrEqualTo(2);
      assertThat(page.getList("items.jobType", String.class)).containsOnly("synthetic");
      seen.addAll(page.getList("items.id"));
      more = page.getBoolean("hasMore");
      cursor = page.getString("nextCursor");
    }
    assertThat(seen).hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates();
    List<String> createdAt =
        given()
            .queryParam("limit", 100)
            .get("/api/v1/dead-letters")
            .jsonPath()
            .getList("items.createdAt");
    assertThat(createdAt).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  @Test
  void badRequestsAreProblems() {
    problem(
            given().queryParam("type", "nope").get("/api/v1/dead-letters").then(),
            400,
            "VALIDATION_FAILED")
        .body("errors[0].field", equalTo("type"));
    problem(
        given().queryParam("limit", 101).get("/api/v1/dead-letters").then(),
        400,
        "VALIDATION_FAILED");
    problem(
        given().queryParam("cursor", "zzz").get("/api/v1/dead-letters").then(),
        400,
        "VALIDATION_FAILED");
    problem(given().post("/api/v1/dead-letters/not-a-uuid/requeue").then(), 400, "INVALID_UUID");
    problem(
        given().post("/api/v1/dead-letters/" + UUID.randomUUID() + "/requeue").then(),
        404,
        "DEAD_LETTER_NOT_FOUND");
  }

  private static ValidatableResponse problem(ValidatableResponse r, int status, String code) {
    return r.statusCode(status)
        .contentType("application/problem+json")
        .body("status", equalTo(status))
        .body("code", equalTo(code));
  }
}
