package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.json.KilnJson;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Submits N no-op synthetic jobs to a running Kiln and measures how fast they finish: submit
 * latency, submit throughput and end-to-end jobs/s (first submit to last job.succeeded, as seen on
 * the all-jobs SSE stream).
 *
 * <p>Usage: {@code EndToEndThroughput [--gateway URL] [--jobs N] [--mode single|batch]
 * [--concurrency C]}
 */
public final class EndToEndThroughput {

  private static final ObjectMapper JSON = KilnJson.mapper();
  private static final String NO_OP = "{\"stages\":0,\"artifactBytes\":0}";

  private final HttpClient http =
      HttpClient.newBuilder()
          // why: plain-text clients speak HTTP/1.1; h2c would multiplex every request on one
          // connection
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String gateway;
  private final int jobs;
  private final String mode;
  private final int concurrency;
  private final Set<String> submitted = ConcurrentHashMap.newKeySet();
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  private final List<Long> submitNanos = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch allDone;
  private volatile long lastFinishNanos;

  private EndToEndThroughput(String gateway, int jobs, String mode, int concurrency) {
    this.gateway = gateway;
    this.jobs = jobs;
    this.mode = mode;
    this.concurrency = concurrency;
    this.allDone = new CountDownLatch(jobs);
  }

  /** The bench tenant's submitter key and its id, made by {@link #setUp}. */
  private String key;

  private String keyId;

  public static void main(String[] args) throws Exception {
    String gateway = "http://127.0.0.1:8080";
    int jobs = 2000;
    String mode = "single";
    int concurrency = 32;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--gateway" -> gateway = args[i + 1];
        case "--jobs" -> jobs = Integer.parseInt(args[i + 1]);
        case "--mode" -> mode = args[i + 1];
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    new EndToEndThroughput(gateway, jobs, mode, concurrency).run();
  }

  /**
   * Makes the bench tenant with limits far above the run, and a submitter key of it, with the admin
   * key from KILN_API_KEY: the bench measures the platform, not the default per-key limits.
   */
  private void setUp() throws Exception {
    String admin = System.getenv("KILN_API_KEY");
    if (admin == null || admin.isBlank()) {
      throw new IllegalStateException("set KILN_API_KEY to an admin key (./kiln bench does)");
    }
    send(
        "PUT",
        "/api/v1/admin/tenants/bench",
        admin,
        "{\"name\":\"Benchmarks\",\"maxActiveJobs\":"
            + Math.max(1000, 2 * jobs)
            + ",\"submitsPerSecond\":10000,\"submitBurst\":100000}",
        200);
    JsonNode created =
        send(
            "POST",
            "/api/v1/admin/keys",
            admin,
            "{\"tenant\":\"bench\",\"role\":\"submitter\",\"name\":\"bench run\"}",
            201);
    key = created.path("key").asText();
    keyId = created.path("details").path("id").asText();
  }

  /** why: each run makes a key; revoking it afterwards leaves no live key behind. */
  private void tearDown() throws Exception {
    HttpResponse<String> revoked =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway + "/api/v1/admin/keys/" + keyId))
                .header("Authorization", "Bearer " + System.getenv("KILN_API_KEY"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (revoked.statusCode() != 204) {
      System.err.println("could not revoke the bench key: " + revoked.statusCode());
    }
  }

  private JsonNode send(String method, String path, String bearer, String json, int expected)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          method + " " + path + ": " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private void run() throws Exception {
    setUp();
    Thread listener = Thread.ofPlatform().daemon().start(this::listen);
    Thread.sleep(500); // let the stream subscribe before the first job can finish
    long start = System.nanoTime();
    if (mode.equals("batch")) {
      submitBatches();
    } else {
      submitSingly();
    }
    long submittedAt = System.nanoTime();
    boolean complete = allDone.await(10, TimeUnit.MINUTES);
    long end = lastFinishNanos;
    listener.interrupt();
    tearDown();
    report(start, submittedAt, end, complete);
  }

  private void submitSingly() throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < jobs; i++) {
        inFlight.acquire();
        pool.submit(
            () -> {
              try {
                long t0 = System.nanoTime();
                JsonNode body =
                    post("/api/v1/jobs", "{\"type\":\"synthetic\",\"params\":" + NO_OP + "}");
                submitNanos.add(System.nanoTime() - t0);
                submitted.add(body.get("id").asText());
              } catch (Exception e) {
                System.err.println("submit failed: " + e);
              } finally {
                inFlight.release();
              }
            });
      }
    }
  }

  private void submitBatches() throws Exception {
    for (int done = 0; done < jobs; ) {
      int size = Math.min(1000, jobs - done);
      ObjectNode request = JSON.createObjectNode();
      ArrayNode list = request.putArray("jobs");
      for (int i = 0; i < size; i++) {
        list.add(JSON.readTree("{\"type\":\"synthetic\",\"params\":" + NO_OP + "}"));
      }
      long t0 = System.nanoTime();
      JsonNode body = post("/api/v1/batches", JSON.writeValueAsString(request));
      submitNanos.add(System.nanoTime() - t0);
      body.get("jobIds").forEach(id -> submitted.add(id.asText()));
      done += size;
    }
  }

  private JsonNode post(String path, String json) throws Exception {
    return send("POST", path, key, json, 202);
  }

  /** Counts job.succeeded frames of our jobs on the all-jobs stream. */
  private void listen() {
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(gateway + "/api/v1/events?type=synthetic&status=succeeded"))
                  .header("Accept", "text/event-stream")
                  .header("Authorization", "Bearer " + key)
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("data:")) {
            String jobId = JSON.readTree(line.substring(5)).get("jobId").asText();
            // a job may finish before its submit call returned; count it once either way
            if (finished.add(jobId)) {
              lastFinishNanos = System.nanoTime();
              allDone.countDown();
            }
          }
        }
      }
    } catch (Exception e) {
      if (!Thread.currentThread().isInterrupted()) {
        System.err.println("event stream failed: " + e);
      }
    }
  }

  private void report(long start, long submittedAt, long end, boolean complete) {
    List<Long> latencies = new ArrayList<>(submitNanos);
    Collections.sort(latencies);
    double submitSeconds = (submittedAt - start) / 1e9;
    double totalSeconds = (end - start) / 1e9;
    System.out.println();
    System.out.printf(Locale.ROOT, "%-34s %s%n", "gateway", gateway);
    System.out.printf(
        Locale.ROOT,
        "%-34s %d no-op synthetic jobs, %s submit%s%n",
        "workload",
        jobs,
        mode,
        mode.equals("single")
            ? " (" + concurrency + " concurrent requests)"
            : " (1,000 jobs a request)");
    System.out.printf(
        Locale.ROOT,
        "%-34s %d of %d%s%n",
        "jobs succeeded",
        finished.size(),
        jobs,
        complete ? "" : "  (INCOMPLETE after 10 min)");
    System.out.printf(
        Locale.ROOT,
        "%-34s %.2f s (%.0f jobs/s)%n",
        "submit phase",
        submitSeconds,
        jobs / submitSeconds);
    System.out.printf(
        Locale.ROOT,
        "%-34s p50 %.1f ms, p99 %.1f ms%n",
        "submit latency (per request)",
        percentile(latencies, 0.50),
        percentile(latencies, 0.99));
    System.out.printf(
        Locale.ROOT, "%-34s %.2f s%n", "first submit -> last job.succeeded", totalSeconds);
    System.out.printf(
        Locale.ROOT,
        "%-34s %.0f jobs/s%n",
        "end-to-end throughput",
        finished.size() / totalSeconds);
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }
}
