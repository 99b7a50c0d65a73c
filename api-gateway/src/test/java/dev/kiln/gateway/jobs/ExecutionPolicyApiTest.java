package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.kiln.gateway.Api;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.JobMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retry policy and timeout of a submission: validated, merged over the type's, stored, sent. */
@QuarkusTest
class ExecutionPolicyApiTest {

  /** synthetic.json: 3 attempts, 2 s base, 5 min cap, 4 h per attempt. */
  private static final ExecutionPolicy SYNTHETIC =
      new ExecutionPolicy(3, 2_000, 300_000, 14_400_000);

  private static LocalBroker broker;

  @BeforeAll
  static void connect() {
    broker = LocalBroker.connect();
  }

  @AfterAll
  static void disconnect() {
    broker.close();
  }

  private static UUID submit(String body) {
    return UUID.fromString(
        given()
            .contentType(ContentType.JSON)
            .body(body)
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id"));
  }

  @Test
  void withoutOverridesAJobRunsUnderItsTypesPolicyAndSaysSo() throws Exception {
    String tap = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID id = submit("{\"type\":\"synthetic\"}");
    JsonPath job = Api.job(id);
    assertThat(job.getInt("attempt")).isEqualTo(1);
    assertThat(job.getInt("maxAttempts")).isEqualTo(3);
    assertThat(job.getInt("retry.maxAttempts")).isEqualTo(3);
    assertThat(job.getLong("retry.baseDelayMs")).isEqualTo(2_000);
    assertThat(job.getLong("retry.maxDelayMs")).isEqualTo(300_000);
    assertThat(job.getLong("timeoutSeconds")).isEqualTo(14_400);
    assertThat(job.getString("nextRunAt")).isNull();
    assertThat(job.getString("lastError")).isNull();
    assertThat(Messages.await(broker, tap, id, 1).policy()).isEqualTo(SYNTHETIC);
  }

  @Test
  void eachGivenFieldOverridesTheTypesDefault() throws Exception {
    String tap = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID id =
        submit(
            "{\"type\":\"synthetic\",\"retry\":{\"maxAttempts\":5,\"maxDelayMs\":60000},"
                + "\"timeoutSeconds\":30}");
    JsonPath job = Api.job(id);
    assertThat(job.getInt("maxAttempts")).isEqualTo(5);
    assertThat(job.getLong("retry.baseDelayMs")).isEqualTo(2_000);
    assertThat(job.getLong("retry.maxDelayMs")).isEqualTo(60_000);
    assertThat(job.getLong("timeoutSeconds")).isEqualTo(30);
    assertThat(Messages.await(broker, tap, id, 1).policy())
        .isEqualTo(new ExecutionPolicy(5, 2_000, 60_000, 30_000));
  }

  @Test
  void aBaseDelayAboveTheDefaultCapRaisesTheCap() {
    UUID id = submit("{\"type\":\"synthetic\",\"retry\":{\"baseDelayMs\":600000}}");
    JsonPath job = Api.job(id);
    assertThat(job.getLong("retry.baseDelayMs")).isEqualTo(600_000);
    assertThat(job.getLong("retry.maxDelayMs")).isEqualTo(600_000);
  }

  @Test
  void invalidPolicyFieldsAreReportedTogetherAsFieldErrors() {
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"type\":\"synthetic\",\"retry\":{\"maxAttempts\":0,\"baseDelayMs\":-1,"
                + "\"maxDelayMs\":86400001},\"timeoutSeconds\":0}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("VALIDATION_FAILED"))
        .body(
            "errors.field",
            containsInAnyOrder(
                "retry.maxAttempts", "retry.baseDelayMs", "retry.maxDelayMs", "timeoutSeconds"))
        .body("errors.code", hasItem("OUT_OF_RANGE"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"synthetic\",\"retry\":{\"maxAttempts\":21},\"timeoutSeconds\":86401}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors.field", containsInAnyOrder("retry.maxAttempts", "timeoutSeconds"));
  }

  @Test
  void theLongestDelayMayNotBeShorterThanTheFirst() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"synthetic\",\"retry\":{\"baseDelayMs\":5000,\"maxDelayMs\":1000}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("retry.maxDelayMs"))
        .body("errors[0].message", equalTo("must be at least baseDelayMs (5000)"));
    // against the type's default base (2 s) when no base is given
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"synthetic\",\"retry\":{\"maxDelayMs\":1000}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("retry.maxDelayMs"));
  }

  @Test
  void unknownOrMistypedPolicyFieldsAreRejected() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"synthetic\",\"retry\":{\"attempts\":2}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].code", equalTo("UNKNOWN_FIELD"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"synthetic\",\"retry\":{\"maxAttempts\":\"many\"}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("retry.maxAttempts"))
        .body("errors[0].code", equalTo("TYPE_MISMATCH"));
  }

  @Test
  void inABatchEachJobHasItsOwnPolicyAndErrorsNameTheirJob() {
    List<String> ids =
        given()
            .contentType(ContentType.JSON)
            .body(
                "{\"jobs\":[{\"type\":\"synthetic\",\"retry\":{\"maxAttempts\":1}},"
                    + "{\"type\":\"synthetic\",\"timeoutSeconds\":60}]}")
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract()
            .path("jobIds");
    assertThat(Api.job(UUID.fromString(ids.get(0))).getInt("maxAttempts")).isEqualTo(1);
    assertThat(Api.job(UUID.fromString(ids.get(1))).getInt("maxAttempts")).isEqualTo(3);
    assertThat(Api.job(UUID.fromString(ids.get(1))).getLong("timeoutSeconds")).isEqualTo(60);
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"jobs\":[{\"type\":\"synthetic\"},{\"type\":\"synthetic\",\"timeoutSeconds\":-5}]}")
        .post("/api/v1/batches")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("jobs[1].timeoutSeconds"));
  }

  @Test
  void aClientsRetrySendsThePolicyAgain() throws Exception {
    String tap = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID id = submit("{\"type\":\"synthetic\",\"retry\":{\"maxAttempts\":2}}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started(), w.failed("BAD", false));
    Api.awaitStatus(id, "failed");
    given().post("/api/v1/jobs/" + id + "/retry").then().statusCode(202);
    JobMessage second = Messages.await(broker, tap, id, 2);
    assertThat(second.policy().maxAttempts()).isEqualTo(2);
    assertThat(second.policy().timeoutMillis()).isEqualTo(SYNTHETIC.timeoutMillis());
  }

  @Test
  void jobTypesShowTheirDefaultPolicy() {
    given()
        .get("/api/v1/job-types")
        .then()
        .statusCode(200)
        .body("items.find { it.name == 'synthetic' }.retry.maxAttempts", equalTo(3))
        .body("items.find { it.name == 'synthetic' }.retry.baseDelayMs", equalTo(2000))
        .body("items.find { it.name == 'synthetic' }.retry.maxDelayMs", equalTo(300000))
        .body("items.find { it.name == 'synthetic' }.timeoutSeconds", equalTo(14400));
  }
}
