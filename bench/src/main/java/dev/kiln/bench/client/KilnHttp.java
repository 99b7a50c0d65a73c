package dev.kiln.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.json.KilnJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The one HTTP client of a bench run, with the gateway's base URL. */
public final class KilnHttp {

  public static final ObjectMapper JSON = KilnJson.mapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          // why: plain-text clients speak HTTP/1.1; h2c would multiplex every request on one
          // connection, which is not how a crowd of clients arrives
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String gateway;
  private final KeepAliveConnections submits;

  public KilnHttp(String gateway) {
    this.gateway = gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway;
    this.submits = new KeepAliveConnections(this.gateway);
  }

  public String gateway() {
    return gateway;
  }

  /**
   * Waits until the gateway answers ready; why: the platform may be restarting with a new build
   * when a run or a section starts, and a run should wait for it rather than fail.
   */
  public void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    boolean said = false;
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(gateway + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode();
      } catch (IOException e) {
        last = e.toString();
      }
      if (!said) {
        System.err.println("bench: waiting for " + gateway + " to be ready (" + last + ")");
        said = true;
      }
      Thread.sleep(1000);
    }
    throw new IOException(
        gateway + " was not ready within " + timeout.toSeconds() + " s (" + last + ")");
  }

  /**
   * Sends a JSON request and answers its JSON body, or fails when the status is not {@code
   * expected}.
   */
  public JsonNode call(String method, String path, String bearer, String json, int expected)
      throws IOException, InterruptedException {
    HttpResponse<String> response = send(method, path, bearer, json, Duration.ofSeconds(30));
    if (response.statusCode() != expected) {
      throw new IOException(
          method + " " + path + ": " + response.statusCode() + " " + response.body());
    }
    String body = response.body();
    return body == null || body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
  }

  /** Sends a request and answers whatever came back; {@code json} null sends no body. */
  public HttpResponse<String> send(
      String method, String path, String bearer, String json, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway + path))
            .timeout(timeout)
            .header("Authorization", "Bearer " + bearer);
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Posts JSON on a kept-alive connection of the load generator's own pool; for the requests a run
   * sends by the thousand (see {@link KeepAliveConnections} for why not {@link HttpClient}).
   */
  public KeepAliveConnections.Answer post(String path, String bearer, String json, Duration timeout)
      throws IOException {
    return submits.send("POST", path, bearer, json, timeout);
  }

  /**
   * Opens a server-sent event stream.
   *
   * @param lastEventId resume after this event id, or negative for live events only
   */
  public HttpResponse<InputStream> stream(String path, String bearer, long lastEventId)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway + path))
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + bearer);
    if (lastEventId >= 0) {
      request.header("Last-Event-ID", Long.toString(lastEventId));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }
}
