package dev.kiln.gateway.webhooks;

import static dev.kiln.gateway.Api.as;
import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.gateway.Api;
import dev.kiln.gateway.TestOutbound;
import dev.kiln.gateway.auth.TestKeys;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.json.KilnJson;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs driven to their end by worker events over the real broker; the gateway calls a receiver on
 * 127.0.0.1 through the SSRF guard, and the test checks what arrived, independently of the
 * gateway's signing code, and what {@code GET /api/v1/jobs/{id}/webhooks} shows.
 */
@QuarkusTest
class WebhookTest {

  /** The test admin's tenant's signing secret, as a receiver would get it: from the API. */
  private static String secret() {
    return given()
        .get("/api/v1/tenant/webhook-secret")
        .then()
        .statusCode(200)
        .extract()
        .path("secret");
  }

  private static LocalBroker broker;
  private static Receiver receiver;

  @BeforeAll
  static void start() throws Exception {
    broker = LocalBroker.connect();
    receiver = new Receiver();
  }

  @AfterAll
  static void stop() {
    receiver.close();
    broker.close();
  }

  @Test
  void aSucceededJobGetsExactlyOneSignedDeliveryOfItsFinalState() throws Exception {
    String path = "/succeeded-" + UUID.randomUUID();
    UUID id = submit(receiver.endpoint(path));
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started("stage-1"), w.artifact("out.bin", 3, "ab"));
    Api.awaitStatus(id, "running");
    var end = w.succeeded();
    EventScript.publish(broker, end);

    Receiver.Request hook = awaitRequests(path, 1).getFirst();
    JsonNode body = verified(hook);
    assertThat(hook.requestLine()).startsWith("POST ");
    assertThat(hook.header("Content-Type")).isEqualTo("application/json");
    assertThat(hook.header("webhook-id")).isEqualTo("msg_" + end.eventId());
    assertThat(body.path("type").asText()).isEqualTo("job.succeeded");
    // the event's time, not the send time (that is webhook-timestamp)
    assertThat(Instant.parse(body.path("timestamp").asText())).isEqualTo(end.occurredAt());
    assertThat(body.path("data").path("id").asText()).isEqualTo(id.toString());
    assertThat(body.path("data").path("status").asText()).isEqualTo("succeeded");
    assertThat(body.path("data").path("progress").asInt()).isEqualTo(100);
    assertThat(body.path("data").path("artifacts").path(0).path("name").asText())
        .isEqualTo("out.bin");

    JsonPath shown = awaitDelivery(id, "delivered");
    assertThat(shown.getString("items[0].id")).isEqualTo(end.eventId().toString());
    assertThat(shown.getString("items[0].eventType")).isEqualTo("job.succeeded");
    assertThat(shown.getString("items[0].url")).isEqualTo(receiver.endpoint(path));
    assertThat(shown.getList("items[0].attempts.statusCode")).containsExactly(200);
    assertThat(shown.getString("items[0].nextAttemptAt")).isNull();
    // a few more polls: nothing is sent again
    Thread.sleep(800);
    assertThat(receiver.requests(path)).hasSize(1);
  }

  @Test
  void aFailedJobIsAnnouncedAsJobFailedWithItsError() throws Exception {
    String path = "/failed-" + UUID.randomUUID();
    UUID id = submit(receiver.endpoint(path));
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started("stage-1"), w.failed("BROKEN_INPUT", false));

    JsonNode body = verified(awaitRequests(path, 1).getFirst());
    assertThat(body.path("type").asText()).isEqualTo("job.failed");
    assertThat(body.path("data").path("status").asText()).isEqualTo("failed");
    assertThat(body.path("data").path("error").path("code").asText()).isEqualTo("BROKEN_INPUT");
    awaitDelivery(id, "delivered");
    Thread.sleep(800);
    assertThat(receiver.requests(path)).hasSize(1);
  }

  @Test
  void aQueuedJobCancelledByTheClientIsAnnouncedAsJobCancelled() throws Exception {
    String path = "/cancelled-" + UUID.randomUUID();
    UUID id = submit(receiver.endpoint(path));
    given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);

    JsonNode body = verified(awaitRequests(path, 1).getFirst());
    assertThat(body.path("type").asText()).isEqualTo("job.cancelled");
    assertThat(body.path("data").path("status").asText()).isEqualTo("cancelled");
    awaitDelivery(id, "delivered");
    Thread.sleep(800);
    assertThat(receiver.requests(path)).hasSize(1);
  }

  @Test
  void aReceiverAnswering500TwiceThen200GetsThreeAttemptsOfOneWebhook() throws Exception {
    String path = "/flaky-" + UUID.randomUUID();
    double delivered = Api.metric("kiln_webhook_attempts_total", "outcome=\"delivered\"");
    double failed = Api.metric("kiln_webhook_attempts_total", "outcome=\"failed\"");
    UUID id = submit(receiver.endpoint(path, 500, 500));
    succeed(id);

    List<Receiver.Request> hooks = awaitRequests(path, 3);
    hooks.forEach(WebhookTest::verified);
    // one webhook, retried: the same id and body every time, so the receiver can drop repeats
    assertThat(hooks)
        .extracting(h -> h.header("webhook-id"))
        .containsOnly(hooks.getFirst().header("webhook-id"));
    assertThat(hooks).extracting(Receiver.Request::body).containsOnly(hooks.getFirst().body());
    JsonPath shown = awaitDelivery(id, "delivered");
    assertThat(shown.getList("items[0].attempts.statusCode")).containsExactly(500, 500, 200);
    assertThat(shown.getList("items[0].attempts.durationMs")).hasSize(3);
    Instant first = Instant.parse(shown.getString("items[0].attempts[0].at"));
    Instant second = Instant.parse(shown.getString("items[0].attempts[1].at"));
    assertThat(Duration.between(first, second)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    assertThat(Api.metric("kiln_webhook_attempts_total", "outcome=\"delivered\""))
        .isGreaterThanOrEqualTo(delivered + 1);
    assertThat(Api.metric("kiln_webhook_attempts_total", "outcome=\"failed\""))
        .isGreaterThanOrEqualTo(failed + 2);
  }

  @Test
  void aReceiverThatIsDownIsRetriedUntilTheWindowPassesThenLeftAlone() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    UUID id = submit("http://127.0.0.1:" + closedPort + "/down");
    succeed(id);

    JsonPath shown = awaitDelivery(id, "given_up", Duration.ofSeconds(20));
    List<Object> attempts = shown.getList("items[0].attempts");
    assertThat(attempts.size()).isGreaterThanOrEqualTo(3);
    assertThat(shown.getList("items[0].attempts.statusCode")).containsOnlyNulls();
    assertThat(shown.getString("items[0].attempts[0].error")).contains("127.0.0.1");
    assertThat(shown.getString("items[0].nextAttemptAt")).isNull();
    // why: the window bounds when an attempt is due, not when a loaded machine gets to start it,
    // so the check is on the schedule: each retry was due (previous attempt + its delay, %test
    // delays 300, 300, 600 ms, the last repeating, plus up to 10 % jitter, counted from the end of
    // the previous attempt) within 3 s of the first attempt, and the retry after the last would not
    // have been
    Instant first = Instant.parse(shown.getString("items[0].attempts[0].at"));
    long[] delays = {300, 300, 600};
    for (int k = 1; k <= attempts.size(); k++) {
      Instant previous = Instant.parse(shown.getString("items[0].attempts[" + (k - 1) + "].at"));
      long delay = delays[Math.min(k - 1, delays.length - 1)];
      // the next attempt is scheduled when the previous one has ended
      long ended =
          Duration.between(first, previous).toMillis()
              + shown.getLong("items[0].attempts[" + (k - 1) + "].durationMs");
      long earliestDue = ended + delay;
      // why + 100: the schedule is taken a moment after the duration was measured
      long latestDue = ended + delay + delay / 10 + 100;
      if (k < attempts.size()) {
        assertThat(earliestDue)
            .as("retry %d was due inside the window", k)
            .isLessThanOrEqualTo(3000);
      } else {
        assertThat(latestDue)
            .as("a further retry would fall outside the window")
            .isGreaterThan(3000);
      }
    }
    Thread.sleep(1000);
    assertThat(webhooks(id).getList("items[0].attempts")).hasSize(attempts.size());
  }

  @Test
  void aReceiverAnswering410IsNotCalledAgain() throws Exception {
    String path = "/gone-" + UUID.randomUUID();
    UUID id = submit(receiver.endpoint(path, 410));
    succeed(id);

    JsonPath shown = awaitDelivery(id, "given_up");
    assertThat(shown.getList("items[0].attempts.statusCode")).containsExactly(410);
    Thread.sleep(800);
    assertThat(receiver.requests(path)).hasSize(1);
  }

  @Test
  void aNameResolvingToAPrivateAddressIsRefusedAtCallTimeWithoutAnyConnection() throws Exception {
    // why: a name passes the submit check (no lookup there); the call resolves it and refuses
    UUID id = submit("http://" + TestOutbound.PRIVATE_NAME + ":8080/hook");
    succeed(id);

    JsonPath shown = awaitDelivery(id, "given_up");
    assertThat(shown.getList("items[0].attempts")).hasSize(1);
    assertThat(shown.getString("items[0].attempts[0].statusCode")).isNull();
    assertThat(shown.getString("items[0].attempts[0].error"))
        .contains(TestOutbound.PRIVATE_NAME)
        .contains("not allowed")
        .doesNotContain("10.1.2.3");
    assertThat(TestOutbound.offLoopback()).isEmpty();
  }

  @Test
  void aJobWithoutNotifyUrlHasNoDeliveriesAndAnUnknownJobIs404() throws Exception {
    UUID id = Api.submit("{}");
    succeed(id);
    Api.awaitStatus(id, "succeeded");
    given()
        .get("/api/v1/jobs/" + id + "/webhooks")
        .then()
        .statusCode(200)
        .body("items.size()", equalTo(0));
    given()
        .get("/api/v1/jobs/" + UUID.randomUUID() + "/webhooks")
        .then()
        .statusCode(404)
        .contentType("application/problem+json")
        .body("code", equalTo("JOB_NOT_FOUND"));
  }

  @Test
  void theOpenApiDocumentDescribesTheWebhooksEndpoint() {
    given()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("/api/v1/jobs/{id}/webhooks"))
        .body(org.hamcrest.Matchers.containsString("webhook deliveries"));
  }

  @Test
  void aTenantsDefaultUrlGetsItsJobsWebhooksSignedWithThatTenantsOwnSecret() throws Exception {
    String path = "/tenant-" + UUID.randomUUID();
    String tenant = TestKeys.newTenant("hooks");
    given()
        .contentType(ContentType.JSON)
        .body("{\"defaultNotifyUrl\":\"" + receiver.endpoint(path) + "\"}")
        .put("/api/v1/admin/tenants/" + tenant)
        .then()
        .statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body("{\"defaultNotifyUrl\":\"http://169.254.169.254/latest\"}")
        .put("/api/v1/admin/tenants/" + tenant)
        .then()
        .statusCode(400)
        .body("errors[0].code", org.hamcrest.Matchers.equalTo("URL_FORBIDDEN"));
    TestKeys.Key key = TestKeys.create(tenant, "submitter");
    String tenantSecret =
        as(key.token())
            .get("/api/v1/tenant/webhook-secret")
            .then()
            .statusCode(200)
            .extract()
            .path("secret");
    assertThat(tenantSecret).startsWith("whsec_").isNotEqualTo(secret());

    succeed(TestKeys.submit(key));
    JsonNode body = verified(awaitRequests(path, 1).getFirst(), tenantSecret);
    assertThat(body.path("type").asText()).isEqualTo("job.succeeded");

    String rotated =
        given()
            .post("/api/v1/admin/tenants/" + tenant + "/webhook-secret/rotate")
            .then()
            .statusCode(200)
            .extract()
            .path("secret");
    assertThat(rotated).isNotEqualTo(tenantSecret);
    assertThat(as(key.token()).get("/api/v1/tenant/webhook-secret").jsonPath().getString("secret"))
        .isEqualTo(rotated);
    succeed(TestKeys.submit(key));
    verified(awaitRequests(path, 2).get(1), rotated);
  }

  private static UUID submit(String notifyUrl) {
    return Api.submitRequest(
        "{\"type\":\"synthetic\",\"params\":{\"stages\":1},\"notifyUrl\":\"" + notifyUrl + "\"}");
  }

  private static void succeed(UUID id) throws Exception {
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started("stage-1"), w.succeeded());
  }

  /**
   * Checks the Standard Webhooks headers and signature with its own HMAC (not the gateway's
   * signer), and returns the body.
   */
  private static JsonNode verified(Receiver.Request hook) {
    return verified(hook, secret());
  }

  private static JsonNode verified(Receiver.Request hook, String secret) {
    String id = hook.header("webhook-id");
    String timestamp = hook.header("webhook-timestamp");
    String signature = hook.header("webhook-signature");
    assertThat(id).startsWith("msg_").doesNotContain(".");
    assertThat(Long.parseLong(timestamp))
        .isBetween(Instant.now().getEpochSecond() - 300, Instant.now().getEpochSecond() + 5);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
      byte[] expected =
          mac.doFinal((id + "." + timestamp + "." + hook.body()).getBytes(StandardCharsets.UTF_8));
      assertThat(signature).startsWith("v1,");
      assertThat(
              MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3))))
          .as("signature of %s", id)
          .isTrue();
      return KilnJson.mapper().readTree(hook.body());
    } catch (Exception e) {
      throw new AssertionError("cannot verify webhook " + id, e);
    }
  }

  private static List<Receiver.Request> awaitRequests(String path, int count) {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> receiver.requests(path).size() >= count);
    return receiver.requests(path);
  }

  private static JsonPath webhooks(UUID id) {
    return given()
        .get("/api/v1/jobs/" + id + "/webhooks")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static JsonPath awaitDelivery(UUID id, String status) {
    return awaitDelivery(id, status, Duration.ofSeconds(15));
  }

  private static JsonPath awaitDelivery(UUID id, String status, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status.equals(webhooks(id).getString("items[0].status")));
    JsonPath shown = webhooks(id);
    assertThat(shown.getList("items")).hasSize(1);
    return shown;
  }
}
