package dev.kiln.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.UUID;

/** Shortcuts over the real HTTP API for the gateway's tests. */
public final class Api {

  private Api() {}

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
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }
}
