package dev.kiln.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Submits no-op synthetic jobs: no stage, no artifact, so a job costs only the platform. */
public final class NoOpJobs {

  public static final String ONE =
      "{\"type\":\"synthetic\",\"params\":{\"stages\":0,\"artifactBytes\":0}}";

  /** Jobs per batch request: the gateway's maximum. */
  public static final int BATCH_SIZE = 1000;

  private NoOpJobs() {}

  /** The body of a {@code POST /api/v1/batches} with {@code n} no-op jobs. */
  public static String batch(int n) {
    StringBuilder body = new StringBuilder(n * (ONE.length() + 1) + 16).append("{\"jobs\":[");
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "" : ",").append(ONE);
    }
    return body.append("]}").toString();
  }

  /** Submits one job; answers its id, or throws with the status when it was not accepted. */
  public static String submitOne(KilnHttp http, String key, Duration timeout)
      throws IOException, InterruptedException {
    return accepted(http.post("/api/v1/jobs", key, ONE, timeout)).path("id").asText();
  }

  /** Submits a batch body made by {@link #batch}; answers the jobs' ids. */
  public static List<String> submitBatch(KilnHttp http, String key, String body, Duration timeout)
      throws IOException, InterruptedException {
    JsonNode ids = accepted(http.post("/api/v1/batches", key, body, timeout)).get("jobIds");
    List<String> list = new ArrayList<>(ids.size());
    ids.forEach(id -> list.add(id.asText()));
    return list;
  }

  private static JsonNode accepted(KeepAliveConnections.Answer response) throws IOException {
    if (response.status() != 202) {
      String body = response.body() == null ? "" : response.body();
      throw new IOException(
          "HTTP " + response.status() + " " + body.substring(0, Math.min(200, body.length())));
    }
    return KilnHttp.JSON.readTree(response.body());
  }
}
