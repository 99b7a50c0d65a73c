package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.json.KilnJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** The public REST API of one gateway process, over plain HTTP. */
public final class KilnApi {

  /** One HTTP answer. */
  public record Response(int status, HttpHeaders headers, String body) {
    public JsonNode json() {
      try {
        return KilnJson.mapper().readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  // why: redirects are asserted, not followed (the artifact download answers 302)
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final URI base;

  KilnApi(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public Response post(String path, String json) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A file part of a multipart submission. */
  public record Upload(String fileName, String contentType, byte[] bytes) {}

  /**
   * POSTs {@code multipart/form-data} with a {@code job} JSON part and one {@code file} part per
   * upload, in order.
   */
  public Response postMultipart(String path, String jobJson, java.util.List<Upload> uploads) {
    String boundary = "kiln-" + UUID.randomUUID();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    java.util.function.Consumer<String> text =
        t -> body.writeBytes(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    text.accept("--" + boundary + "\r\n");
    text.accept("Content-Disposition: form-data; name=\"job\"\r\n");
    text.accept("Content-Type: application/json\r\n\r\n" + jobJson + "\r\n");
    for (Upload u : uploads) {
      text.accept("--" + boundary + "\r\n");
      text.accept(
          "Content-Disposition: form-data; name=\"file\"; filename=\"" + u.fileName() + "\"\r\n");
      text.accept("Content-Type: " + u.contentType() + "\r\n\r\n");
      body.writeBytes(u.bytes());
      text.accept("\r\n");
    }
    text.accept("--" + boundary + "--\r\n");
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  /** Downloads an artifact through its 302 to the object store; returns its bytes. */
  public byte[] download(UUID jobId, String artifact) {
    Response redirect = get("/api/v1/jobs/" + jobId + "/artifacts/" + artifact);
    assertThat(redirect.status()).as("download of %s: %s", artifact, redirect).isEqualTo(302);
    URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
    try {
      HttpResponse<byte[]> response =
          HTTP.send(
              HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).as("object store answer for %s", artifact).isEqualTo(200);
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Submits a synthetic job with the given params JSON, expecting 202; returns its id. */
  public UUID submitSynthetic(String paramsJson) {
    Response accepted =
        post("/api/v1/jobs", "{\"type\":\"synthetic\",\"params\":" + paramsJson + "}");
    assertThat(accepted.status()).as("submit answer: %s", accepted).isEqualTo(202);
    return UUID.fromString(accepted.json().path("id").asText());
  }

  public JsonNode job(UUID id) {
    Response response = get("/api/v1/jobs/" + id);
    assertThat(response.status()).as("GET job: %s", response).isEqualTo(200);
    return response.json();
  }

  public Response cancel(UUID id) {
    return post("/api/v1/jobs/" + id + "/cancel", null);
  }

  public Response retry(UUID id) {
    return post("/api/v1/jobs/" + id + "/retry", null);
  }

  /** Waits until the job has {@code status} (events reach the job row asynchronously). */
  public JsonNode awaitStatus(UUID id, String status, Duration timeout) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .alias("job " + id + " to be " + status)
        .untilAsserted(
            () -> {
              last.set(job(id));
              assertThat(last.get().path("status").asText())
                  .as("status of job %s: %s", id, last.get())
                  .isEqualTo(status);
            });
    return last.get();
  }

  /** Opens the job's SSE stream ({@code lastEventId} may be null). */
  public SseClient jobEvents(UUID id, String lastEventId) {
    return sse("/api/v1/jobs/" + id + "/events", lastEventId);
  }

  public SseClient batchEvents(UUID id) {
    return sse("/api/v1/batches/" + id + "/events", null);
  }

  private SseClient sse(String path, String lastEventId) {
    try {
      SseClient client =
          SseClient.open(base.resolve(path).toString(), lastEventId, SystemSecrets.ADMIN_KEY);
      assertThat(client.status()).as("status of SSE %s", path).isEqualTo(200);
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              request
                  .header("Authorization", SystemSecrets.bearer())
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
