package dev.kiln.gateway;

import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.UUID;

/** Shortcuts over the real HTTP API for the gateway's tests. */
public final class Api {

  private Api() {}

  /**
   * The admin key the gateway's %test profile bootstraps (KILN_ADMIN_KEY), of tenant {@code
   * default}. Tests act as this admin unless they are about keys, tenants or roles.
   */
  public static final String ADMIN_KEY = "kiln_test-admin-key-0123456789abcdefghijklmnop";

  /** A request as the test admin. */
  public static RequestSpecification given() {
    return as(ADMIN_KEY);
  }

  /** A request with {@code key} as bearer token. */
  public static RequestSpecification as(String key) {
    return RestAssured.given().header("Authorization", "Bearer " + key);
  }

  /** Submits a synthetic job with the given params JSON; returns its id. */
  public static UUID submit(String paramsJson) {
    String id =
        given()
            .contentType(ContentType.JSON)
            .body("{\"type\":\"synthetic\",\"params\":" + paramsJson + "}")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    return UUID.fromString(id);
  }

  /** Submits a whole request body; returns the job's id. */
  public static UUID submitRequest(String requestJson) {
    String id =
        given()
            .contentType(ContentType.JSON)
            .body(requestJson)
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    return UUID.fromString(id);
  }

  public static JsonPath job(UUID id) {
    return given().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
  }

  /** Waits until the job has {@code status} (events are stored asynchronously). */
  public static JsonPath awaitStatus(UUID id, String status) {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> status.equals(job(id).getString("status")));
    return job(id);
  }

  /**
   * The sum of a counter's samples in {@code /q/metrics} whose line starts with {@code name} and
   * contains every one of {@code labels} (e.g. {@code outcome="failed"}); 0 when there is none.
   */
  public static double metric(String name, String... labels) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        boolean all = true;
        for (String label : labels) {
          all &= line.contains(label);
        }
        if (all) {
          sum += sampleValue(line);
        }
      }
    }
    return sum;
  }

  /**
   * The value of one sample line. why not the last token: with tracing on, a sample may end in an
   * exemplar ({@code ... 3.0 # {trace_id="…"} 1.0 1796558613.909}), and a sample may carry a
   * timestamp after its value.
   */
  static double sampleValue(String line) {
    int exemplar = line.indexOf(" # ");
    String sample = exemplar < 0 ? line : line.substring(0, exemplar);
    int labelsEnd = sample.lastIndexOf('}');
    String rest = sample.substring(labelsEnd >= 0 ? labelsEnd + 1 : sample.indexOf(' ')).trim();
    return Double.parseDouble(rest.split("\\s+")[0]);
  }

  /** The work order of {@code attempt} as the gateway would send it, read back through the API. */
  public static dev.kiln.model.messages.JobMessage jobMessage(UUID id, int attempt) {
    JsonPath job = job(id);
    try {
      var params =
          (com.fasterxml.jackson.databind.node.ObjectNode)
              dev.kiln.model.json.KilnJson.mapper().valueToTree(job.getMap("params"));
      return new dev.kiln.model.messages.JobMessage(
          dev.kiln.model.messages.JobMessage.VERSION,
          id,
          job.getString("type"),
          attempt,
          params,
          java.util.List.of(),
          null,
          java.time.Instant.parse(job.getString("createdAt")),
          new dev.kiln.model.messages.ExecutionPolicy(
              job.getInt("retry.maxAttempts"),
              job.getLong("retry.baseDelayMs"),
              job.getLong("retry.maxDelayMs"),
              job.getLong("timeoutSeconds") * 1000));
    } catch (RuntimeException e) {
      throw new AssertionError("cannot rebuild the job message of " + id, e);
    }
  }
}
