package dev.kiln.bench.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.bench.BenchTarget;
import dev.kiln.model.json.KilnJson;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The SSE benches' own tenant ({@code bench-sse}, so that other benches' jobs never reach their
 * streams) and a submitter key of it, made with the admin key and revoked by {@link #close}.
 */
final class BenchApi implements AutoCloseable {

  static final String NO_OP_JOB =
      "{\"type\":\"synthetic\",\"params\":{\"stages\":0,\"artifactBytes\":0}}";

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final BenchTarget target;
  final String key;
  private final String keyId;

  BenchApi(BenchTarget target) throws Exception {
    this.target = target;
    send(
        "PUT",
        "/api/v1/admin/tenants/bench-sse",
        target.adminKey(),
        "{\"name\":\"SSE benchmarks\",\"maxActiveJobs\":100000,\"submitsPerSecond\":10000,"
            + "\"submitBurst\":100000}",
        200);
    JsonNode created =
        send(
            "POST",
            "/api/v1/admin/keys",
            target.adminKey(),
            "{\"tenant\":\"bench-sse\",\"role\":\"submitter\",\"name\":\"sse bench run\"}",
            201);
    key = created.path("key").asText();
    keyId = created.path("details").path("id").asText();
  }

  InetSocketAddress address() {
    URI uri = URI.create(target.gateway());
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  /** Submits one no-op synthetic job; returns its id. */
  String submit() throws Exception {
    return send("POST", "/api/v1/jobs", key, NO_OP_JOB, 202).path("id").asText();
  }

  private JsonNode send(String method, String path, String bearer, String json, int expected)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(target.gateway() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          method + " " + path + ": " + response.statusCode() + " " + response.body());
    }
    return KilnJson.mapper().readTree(response.body());
  }

  /** why: each run makes a key; revoking it afterwards leaves no live key behind. */
  @Override
  public void close() throws Exception {
    HttpResponse<String> revoked =
        http.send(
            HttpRequest.newBuilder(URI.create(target.gateway() + "/api/v1/admin/keys/" + keyId))
                .header("Authorization", "Bearer " + target.adminKey())
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (revoked.statusCode() != 204) {
      System.err.println("could not revoke the bench key: " + revoked.statusCode());
    }
  }
}
