package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.fixtures.SseClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the secret-bearing paths of a gateway and a worker with Kiln's debug logging on, then greps
 * every process log for each key, token and secret used: none may appear, in any form the run
 * handed out.
 */
@ExtendWith(ProcessLogsOnFailure.class)
class SecretsInLogsSystemTest {

  private static KilnCluster cluster;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startCluster() {
    cluster =
        KilnCluster.builder(SecretsInLogsSystemTest.class.getSimpleName())
            .gateways(1)
            .workers(1)
            // why: the %prod profile sets dev.kiln to INFO; only a profiled variable overrides it
            .gatewayEnv(0, "_PROD_QUARKUS_LOG_CATEGORY__DEV_KILN__LEVEL", "DEBUG")
            .start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HttpResponse<String> call(String method, String path, String bearer, String json)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(cluster.gateway(0).baseUri().resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return dev.kiln.model.json.KilnJson.mapper().readTree(response.body());
  }

  @Test
  void noKeyTokenOrSecretUsedInARunAppearsInAnyLog() throws Exception {
    List<String> secrets = new ArrayList<>();
    secrets.add(SystemSecrets.ADMIN_KEY);
    secrets.add(SystemSecrets.SECRET_KEY);

    HttpResponse<String> created =
        call(
            "POST",
            "/api/v1/admin/keys",
            SystemSecrets.ADMIN_KEY,
            "{\"tenant\":\"log-check\",\"role\":\"submitter\",\"name\":\"log check\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String key = json(created).path("key").asText();
    String keyId = json(created).path("details").path("id").asText();
    secrets.add(key);

    HttpResponse<String> submitted =
        call(
            "POST",
            "/api/v1/jobs",
            key,
            "{\"type\":\"synthetic\",\"params\":{\"stages\":1,\"stageMillis\":50}}");
    assertThat(submitted.statusCode()).isEqualTo(202);
    UUID job = UUID.fromString(json(submitted).path("id").asText());

    HttpResponse<String> issued = call("POST", "/api/v1/jobs/" + job + "/stream-token", key, null);
    assertThat(issued.statusCode()).isEqualTo(200);
    String streamToken = json(issued).path("token").asText();
    secrets.add(streamToken);
    try (SseClient sse =
        SseClient.open(
            cluster
                .gateway(0)
                .baseUri()
                .resolve(json(issued).path("eventsUrl").asText())
                .toString(),
            null)) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.untilEnd(Duration.ofSeconds(30)))
          .extracting(SseClient.Frame::event)
          .contains("job.succeeded");
    }

    HttpResponse<String> webhookSecret = call("GET", "/api/v1/tenant/webhook-secret", key, null);
    assertThat(webhookSecret.statusCode()).isEqualTo(200);
    String whsec = json(webhookSecret).path("secret").asText();
    assertThat(whsec).startsWith("whsec_");
    secrets.add(whsec);
    secrets.add(whsec.substring("whsec_".length()));

    // refused tokens are logged no more than accepted ones
    String wrong = "kiln_" + "W".repeat(43);
    secrets.add(wrong);
    assertThat(call("GET", "/api/v1/jobs", wrong, null).statusCode()).isEqualTo(401);
    assertThat(
            call("DELETE", "/api/v1/admin/keys/" + keyId, SystemSecrets.ADMIN_KEY, null)
                .statusCode())
        .isEqualTo(204);
    assertThat(call("GET", "/api/v1/jobs", key, null).statusCode()).isEqualTo(401);

    Map<String, String> logs = cluster.logs();
    assertThat(logs).hasSizeGreaterThanOrEqualTo(2);
    assertThat(String.join("\n", logs.values()))
        .as("the gateway logged at debug level")
        .contains("DEBUG");
    for (var log : logs.entrySet()) {
      for (String secret : secrets) {
        assertThat(log.getValue())
            .as("%s must not contain a secret starting %s", log.getKey(), secret.substring(0, 6))
            .doesNotContain(secret);
      }
    }
  }
}
