package dev.kiln.gateway.lifecycle;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.kiln.gateway.Api;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shutdown sequence of {@link ShutdownGate}, played without stopping the application: what
 * SIGTERM starts (the shutdown-delay event) is started by hand, and undone afterwards.
 */
@QuarkusTest
class ShutdownTest {

  @Inject ShutdownGate gate;

  @TestHTTPResource("/api/v1")
  URL api;

  @AfterEach
  void serveAgain() {
    gate.reopen();
  }

  @Test
  void readinessGoesDownFirstThenApiRequestsAre503AndStreamsEndWithARetryHint() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    try (LocalBroker broker = LocalBroker.connect()) {
      EventScript.publish(broker, new EventScript(id, 1, "w1").started("stage-1"));
    }
    Api.awaitStatus(id, "running");
    HttpResponse<InputStream> stream =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(api + "/jobs/" + id + "/events"))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + dev.kiln.gateway.Api.ADMIN_KEY)
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> readAll(stream));

    gate.drain(Duration.ofSeconds(2));
    // during the delay: not ready, but still serving, and the stream stays open
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'shutdown' }.status", equalTo("DOWN"));
    given().get("/api/v1/jobs/" + id).then().statusCode(200);
    assertThat(lines).isNotDone();

    // after the delay: new API requests are refused, the stream ends with a reconnect hint
    await().atMost(Duration.ofSeconds(5)).until(gate::refusing);
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"synthetic\"}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(503)
        .contentType("application/problem+json")
        .header("Retry-After", "2")
        .body("code", equalTo("SHUTTING_DOWN"))
        .body("status", equalTo(503));
    given().get("/api/v1/jobs/" + id).then().statusCode(503);
    List<String> received = lines.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(received).contains("event:job.started", "retry:2000");
    assertThat(received.indexOf("retry:2000")).isGreaterThan(received.indexOf("event:job.started"));

    // health and metrics still answer
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(503).body("checks.name", hasItem("shutdown"));
  }

  private static List<String> readAll(HttpResponse<InputStream> response) {
    List<String> lines = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (java.io.IOException e) {
      // the server closed the stream
    }
    return lines;
  }
}
