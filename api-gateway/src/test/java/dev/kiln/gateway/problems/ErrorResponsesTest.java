package dev.kiln.gateway.problems;

import static dev.kiln.gateway.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.kiln.gateway.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every error is RFC 9457 problem+json with a stable code, and never leaks a stack trace. */
@QuarkusTest
class ErrorResponsesTest {

  private static ValidatableResponse problem(
      ValidatableResponse response, int status, String code) {
    return response
        .statusCode(status)
        .contentType("application/problem+json")
        .body("status", equalTo(status))
        .body("code", equalTo(code))
        .body("type", equalTo("urn:kiln:problem:" + code.toLowerCase().replace('_', '-')))
        .body("title", not(equalTo(null)))
        .body("detail", not(equalTo(null)))
        .body(not(containsString("Exception")))
        .body(not(containsString("\tat ")));
  }

  private static ValidatableResponse postJob(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs").then();
  }

  @Test
  void invalidUuidIs400() {
    problem(given().get("/api/v1/jobs/not-a-uuid").then(), 400, "INVALID_UUID")
        .body("instance", equalTo("/api/v1/jobs/not-a-uuid"));
  }

  @Test
  void unknownJobIs404() {
    problem(given().get("/api/v1/jobs/" + UUID.randomUUID()).then(), 404, "JOB_NOT_FOUND");
    problem(
        given().post("/api/v1/jobs/" + UUID.randomUUID() + "/cancel").then(), 404, "JOB_NOT_FOUND");
    problem(
        given().get("/api/v1/jobs/" + UUID.randomUUID() + "/artifacts").then(),
        404,
        "JOB_NOT_FOUND");
    problem(
        given().get("/api/v1/jobs/" + UUID.randomUUID() + "/events").then(), 404, "JOB_NOT_FOUND");
  }

  @Test
  void unknownArtifactIs404() {
    UUID id = Api.submit("{}");
    problem(
        given().redirects().follow(false).get("/api/v1/jobs/" + id + "/artifacts/nope.bin").then(),
        404,
        "ARTIFACT_NOT_FOUND");
  }

  @Test
  void unknownBatchIs404() {
    problem(given().get("/api/v1/batches/" + UUID.randomUUID()).then(), 404, "BATCH_NOT_FOUND");
  }

  @Test
  void unknownTypeIs400ListingTheValidTypes() {
    problem(postJob("{\"type\":\"teleport\"}"), 400, "UNKNOWN_JOB_TYPE")
        .body("validTypes", hasItem("synthetic"))
        .body("detail", containsString("synthetic"));
  }

  @Test
  void missingTypeIs400() {
    problem(postJob("{\"params\":{}}"), 400, "UNKNOWN_JOB_TYPE")
        .body("errors[0].field", equalTo("type"));
  }

  @Test
  void invalidParamsListEveryFieldError() {
    problem(
            postJob("{\"type\":\"synthetic\",\"params\":{\"stages\":\"many\",\"stageMillis\":-5}}"),
            400,
            "VALIDATION_FAILED")
        .body("errors.field", hasItem("params.stages"))
        .body("errors.field", hasItem("params.stageMillis"))
        .body("errors.code", hasItem("TYPE_MISMATCH"))
        .body("errors.code", hasItem("OUT_OF_RANGE"));
  }

  @Test
  void unknownFieldIsRejectedWithItsName() {
    problem(postJob("{\"type\":\"synthetic\",\"priority\":9}"), 400, "VALIDATION_FAILED")
        .body("errors[0].field", equalTo("priority"))
        .body("errors[0].code", equalTo("UNKNOWN_FIELD"));
  }

  @Test
  void wrongJsonTypeForAFieldIsAFieldError() {
    problem(postJob("{\"type\":{\"nested\":true}}"), 400, "VALIDATION_FAILED")
        .body("errors[0].field", equalTo("type"))
        .body("errors[0].code", equalTo("TYPE_MISMATCH"));
  }

  @Test
  void malformedJsonIs400() {
    problem(postJob("{\"type\": \"synthetic\""), 400, "MALFORMED_JSON");
  }

  @Test
  void invalidInputsAreFieldErrors() {
    problem(
            postJob(
                "{\"type\":\"synthetic\",\"inputs\":[{\"url\":\"ftp://example.org/a\"},"
                    + "{\"url\":\"https://example.org/a\",\"object\":\"inputs/x\"},"
                    + "{\"object\":\"inputs/"
                    + UUID.randomUUID()
                    + "/does-not-exist.bin\"},{\"object\":\"../etc/passwd\"}]}"),
            400,
            "VALIDATION_FAILED")
        .body("errors.field", hasItem("inputs[0].url"))
        .body("errors.field", hasItem("inputs[1]"))
        .body("errors.field", hasItem("inputs[3].object"));
    problem(
            postJob(
                "{\"type\":\"synthetic\",\"inputs\":[{\"object\":\"inputs/"
                    + UUID.randomUUID()
                    + "/does-not-exist.bin\"}]}"),
            400,
            "VALIDATION_FAILED")
        .body("errors[0].code", equalTo("INPUT_NOT_FOUND"));
  }

  @Test
  void invalidNotifyUrlIsAFieldError() {
    problem(
            postJob("{\"type\":\"synthetic\",\"notifyUrl\":\"javascript:alert(1)\"}"),
            400,
            "VALIDATION_FAILED")
        .body("errors[0].field", equalTo("notifyUrl"));
  }

  @Test
  void wrongMediaTypeIs415() {
    problem(
        given().contentType("text/plain").body("synthetic").post("/api/v1/jobs").then(),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void tooLargeBodyIs413BeforeTheBodyIsSent() throws Exception {
    // why: a raw socket declares a 5 MB body and sends none of it; the answer must come anyway
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      + "Content-Length: "
                      + (5 * 1024 * 1024)
                      + "\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      StringBuilder response = new StringBuilder();
      byte[] buffer = new byte[4096];
      java.io.InputStream in = socket.getInputStream();
      while (!response.toString().contains("PAYLOAD_TOO_LARGE\"}")) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        response.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
      }
      org.assertj.core.api.Assertions.assertThat(response.toString())
          .startsWith("HTTP/1.1 413")
          .contains("application/problem+json")
          .contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
    }
  }

  @Test
  void chunkedJsonWithoutALengthIs411() throws Exception {
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      + "Transfer-Encoding: chunked\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      StringBuilder response = new StringBuilder();
      byte[] buffer = new byte[4096];
      java.io.InputStream in = socket.getInputStream();
      while (!response.toString().contains("LENGTH_REQUIRED\"}")) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        response.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
      }
      org.assertj.core.api.Assertions.assertThat(response.toString())
          .startsWith("HTTP/1.1 411")
          .contains("application/problem+json");
    }
  }

  @Test
  void batchProblemsNameTheJobTheyBelongTo() {
    problem(
            given()
                .contentType(ContentType.JSON)
                .body(
                    "{\"jobs\":[null,{\"type\":\"teleport\"},{\"type\":\"synthetic\",\"params\":{\"stages\":-1}}]}")
                .post("/api/v1/batches")
                .then(),
            400,
            "VALIDATION_FAILED")
        .body("errors.field", hasItem("jobs[0]"))
        .body("errors.field", hasItem("jobs[1].type"))
        .body("errors.field", hasItem("jobs[2].params.stages"));
  }

  @Test
  void wrongMethodIs405() {
    problem(given().delete("/api/v1/jobs").then(), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void wrongMethodOnANestedResourceIs405WithAllow() {
    UUID id = Api.submit("{}");
    problem(given().post("/api/v1/jobs/" + id + "/artifacts").then(), 405, "METHOD_NOT_ALLOWED")
        .header("Allow", equalTo("GET"));
    problem(
            given().delete("/api/v1/jobs/" + id + "/artifacts/synthetic.bin").then(),
            405,
            "METHOD_NOT_ALLOWED")
        .header("Allow", equalTo("GET"));
    // a path no resource serves stays 404, whatever the method
    problem(given().post("/api/v1/jobs/" + id + "/nothing").then(), 404, "NOT_FOUND");
  }

  @Test
  void unknownPathIs404() {
    problem(given().get("/api/v1/teleporters").then(), 404, "NOT_FOUND");
  }

  @Test
  void invalidListParametersAre400() {
    problem(given().queryParam("limit", 500).get("/api/v1/jobs").then(), 400, "VALIDATION_FAILED")
        .body("errors[0].field", equalTo("limit"));
    problem(
            given().queryParam("status", "sleeping").get("/api/v1/jobs").then(),
            400,
            "VALIDATION_FAILED")
        .body("errors[0].field", equalTo("status"));
    problem(
            given().queryParam("cursor", "!!!").get("/api/v1/jobs").then(),
            400,
            "VALIDATION_FAILED")
        .body("errors[0].field", equalTo("cursor"));
  }

  @Test
  void cancellingAFinishedJobIs409() {
    UUID id = Api.submit("{}");
    given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
    problem(given().post("/api/v1/jobs/" + id + "/cancel").then(), 409, "INVALID_STATE")
        .body("detail", containsString("cancelled"));
  }

  @Test
  void retryingAQueuedJobIs409() {
    UUID id = Api.submit("{}");
    problem(given().post("/api/v1/jobs/" + id + "/retry").then(), 409, "INVALID_STATE");
  }

  @Test
  void badLastEventIdIs400() {
    UUID id = Api.submit("{}");
    problem(
        given().header("Last-Event-ID", "yesterday").get("/api/v1/jobs/" + id + "/events").then(),
        400,
        "VALIDATION_FAILED");
  }

  @Test
  void emptyAndOversizedBatchesAre400() {
    problem(
        given().contentType(ContentType.JSON).body("{\"jobs\":[]}").post("/api/v1/batches").then(),
        400,
        "VALIDATION_FAILED");
    StringBuilder many = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < 1001; i++) {
      many.append(i == 0 ? "" : ",").append("{\"type\":\"synthetic\"}");
    }
    problem(
            given().contentType(ContentType.JSON).body(many + "]}").post("/api/v1/batches").then(),
            400,
            "VALIDATION_FAILED")
        .body("errors[0].field", equalTo("jobs"));
  }
}
