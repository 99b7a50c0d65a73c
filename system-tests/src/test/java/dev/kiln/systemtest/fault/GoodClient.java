package dev.kiln.systemtest.fault;

import dev.kiln.systemtest.SystemSecrets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The API client a careful application would write: every request that fails for a reason that may
 * pass (a refused or dropped connection, a timeout, 502/503/504, and 500) is sent again, to the
 * other gateway, after the server's {@code Retry-After} (capped at {@link #MAX_WAIT}) or a short
 * backoff. Submissions carry an {@code Idempotency-Key}, so a resent one never creates a second
 * job. Counts every resend.
 */
final class GoodClient {

  static final Duration MAX_WAIT = Duration.ofSeconds(2);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /** One answer, from the gateway with that index. */
  record Answer(int status, String body, Map<String, List<String>> headers, int gateway) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse(null);
    }
  }

  /** Thrown when a request could not get a definitive answer before its deadline. */
  static final class GaveUp extends RuntimeException {
    GaveUp(String message) {
      super(message);
    }
  }

  final AtomicLong retries = new AtomicLong();
  final AtomicLong connectionErrors = new AtomicLong();
  final AtomicLong unavailable = new AtomicLong();
  final AtomicLong serverErrors = new AtomicLong();
  final AtomicLong replays = new AtomicLong();

  /** Samples of 500 answers: a 500 is a bug even when a retry gets through. */
  final Queue<String> serverErrorSamples = new ConcurrentLinkedQueue<>();

  private final List<URI> gateways;
  private final HttpClient http;

  GoodClient(List<URI> gateways) {
    this.gateways = gateways;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
  }

  HttpClient http() {
    return http;
  }

  List<URI> gateways() {
    return gateways;
  }

  void resetCounters() {
    retries.set(0);
    connectionErrors.set(0);
    unavailable.set(0);
    serverErrors.set(0);
    replays.set(0);
    serverErrorSamples.clear();
  }

  Answer get(String path, int firstGateway, Duration giveUp) {
    return send("GET", path, null, null, firstGateway, giveUp);
  }

  Answer post(String path, String json, String idempotencyKey, int firstGateway, Duration giveUp) {
    return send("POST", path, json, idempotencyKey, firstGateway, giveUp);
  }

  private Answer send(
      String method, String path, String json, String key, int firstGateway, Duration giveUp) {
    long deadline = System.nanoTime() + giveUp.toNanos();
    int gateway = Math.floorMod(firstGateway, gateways.size());
    String last = "nothing yet";
    for (int attempt = 0; ; attempt++) {
      if (attempt > 0) {
        retries.incrementAndGet();
        gateway = (gateway + 1) % gateways.size();
      }
      Duration wait;
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(gateways.get(gateway).resolve(path))
                .header("Authorization", SystemSecrets.bearer())
                .timeout(REQUEST_TIMEOUT);
        if (json != null) {
          request.header("Content-Type", "application/json");
          request.POST(HttpRequest.BodyPublishers.ofString(json));
        } else if (method.equals("POST")) {
          request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
          request.GET();
        }
        if (key != null) {
          request.header("Idempotency-Key", key);
        }
        HttpResponse<String> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Answer answer =
            new Answer(response.statusCode(), response.body(), response.headers().map(), gateway);
        int status = answer.status();
        // why: a good client waits as told on 429 as on 503, rather than giving up
        if (status != 429 && status != 500 && status != 502 && status != 503 && status != 504) {
          if ("true".equalsIgnoreCase(answer.header("Idempotent-Replayed"))) {
            replays.incrementAndGet();
          }
          return answer;
        }
        if (status == 500) {
          serverErrors.incrementAndGet();
          if (serverErrorSamples.size() < 20) {
            serverErrorSamples.add(method + " " + path + " -> 500 " + answer.body());
          }
        } else {
          unavailable.incrementAndGet();
        }
        last = status + " " + answer.body();
        wait = retryAfter(answer.header("Retry-After"), attempt);
      } catch (IOException e) {
        connectionErrors.incrementAndGet();
        last = e.toString();
        wait = backoff(attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new GaveUp("interrupted");
      }
      if (System.nanoTime() + wait.toNanos() > deadline) {
        throw new GaveUp(
            method + " " + path + " had no answer within " + giveUp + "; last: " + last);
      }
      Os.sleep(wait);
    }
  }

  private static Duration retryAfter(String header, int attempt) {
    if (header != null) {
      try {
        long seconds = Long.parseLong(header.strip());
        Duration asked = Duration.ofSeconds(Math.max(0, seconds));
        return asked.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : asked.plusMillis(50);
      } catch (NumberFormatException e) {
        // an HTTP date: fall back to the backoff
      }
    }
    return backoff(attempt);
  }

  /** 100 ms doubling to {@link #MAX_WAIT}, half of it random. */
  private static Duration backoff(int attempt) {
    long cap = Math.min(MAX_WAIT.toMillis(), 100L << Math.min(attempt, 5));
    return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
  }
}
