package dev.kiln.systemtest.fault;

import dev.kiln.systemtest.SystemSecrets;
import java.io.BufferedReader;
import java.io.IOException;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Follows one job's SSE stream like a browser's EventSource, through whatever the fault does: when
 * the stream breaks or ends before the job's terminal event it reconnects, to the other gateway
 * each time, with {@code Last-Event-ID}. It also leaves on purpose once, mid-stream, and resumes on
 * the other gateway. Records every frame's id and type in the order received.
 */
final class SseWatcher implements Runnable {

  static final Set<String> TERMINAL = Set.of("job.succeeded", "job.failed", "job.cancelled");

  /** A stream that sends nothing, not even the 15 s keep-alive, for this long is dead. */
  static final Duration IDLE_LIMIT = Duration.ofSeconds(40);

  private static final ScheduledExecutorService IDLE_TIMER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("kiln-fault-sse-idle").factory());

  /** A frame as received. */
  record Received(long id, String type) {}

  private final UUID jobId;
  private final List<URI> gateways;
  private final HttpClient http;
  private final long deadlineNanos;
  private final int leaveAfter;
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
  private int gateway;
  private volatile boolean complete;
  private volatile int reconnects;

  /**
   * @param leaveAfter after this many frames it disconnects on purpose (once) and resumes on the
   *     other gateway
   */
  SseWatcher(
      UUID jobId,
      List<URI> gateways,
      HttpClient http,
      int firstGateway,
      int leaveAfter,
      Duration limit) {
    this.jobId = jobId;
    this.gateways = gateways;
    this.http = http;
    this.gateway = Math.floorMod(firstGateway, gateways.size());
    this.leaveAfter = leaveAfter;
    this.deadlineNanos = System.nanoTime() + limit.toNanos();
  }

  UUID jobId() {
    return jobId;
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  List<String> notes() {
    synchronized (notes) {
      return List.copyOf(notes);
    }
  }

  /** For the invariant checks' own tests: as if the frame had arrived. */
  void received(long id, String type) {
    received.add(new Received(id, type));
  }

  boolean complete() {
    return complete;
  }

  int reconnects() {
    return reconnects;
  }

  @Override
  public void run() {
    boolean left = false;
    Long lastId = null;
    int connection = 0;
    while (!complete && System.nanoTime() < deadlineNanos) {
      if (connection++ > 0) {
        reconnects++;
        gateway = (gateway + 1) % gateways.size();
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(gateways.get(gateway).resolve("/api/v1/jobs/" + jobId + "/events"))
              .header("Accept", "text/event-stream")
              .header("Authorization", SystemSecrets.bearer())
              .timeout(Duration.ofSeconds(20));
      if (lastId != null) {
        request.header("Last-Event-ID", Long.toString(lastId));
      }
      InputStream body = null;
      ScheduledFuture<?> idle = null;
      try {
        HttpResponse<InputStream> response =
            http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        body = response.body();
        if (response.statusCode() == 204) {
          Received last = lastReceived();
          if (last == null || !TERMINAL.contains(last.type())) {
            notes.add("204 on reconnect after " + last + ", before any terminal event");
          }
          complete = true;
          break;
        }
        if (response.statusCode() != 200) {
          body.close();
          Os.sleep(Duration.ofMillis(500));
          continue;
        }
        InputStream stream = body;
        long[] lastRead = {System.nanoTime()};
        idle =
            IDLE_TIMER.scheduleAtFixedRate(
                () -> {
                  if (System.nanoTime() - lastRead[0] > IDLE_LIMIT.toNanos()) {
                    closeQuietly(stream);
                  }
                },
                5,
                5,
                TimeUnit.SECONDS);
        BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String id = null;
        String event = null;
        boolean data = false;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lastRead[0] = System.nanoTime();
          if (!line.isEmpty()) {
            if (line.startsWith("id:")) {
              id = line.substring(3).strip();
            } else if (line.startsWith("event:")) {
              event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
              data = true;
            }
            continue;
          }
          if (id != null && (data || event != null)) {
            long frameId = Long.parseLong(id);
            received.add(new Received(frameId, event));
            lastId = frameId;
            if (TERMINAL.contains(event)) {
              complete = true;
              break;
            }
            if (!left && received.size() >= leaveAfter) {
              left = true;
              break;
            }
          }
          id = null;
          event = null;
          data = false;
        }
      } catch (IOException | RuntimeException e) {
        Os.sleep(Duration.ofMillis(300));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        if (idle != null) {
          idle.cancel(false);
        }
        closeQuietly(body);
      }
    }
    if (!complete) {
      notes.add("gave up without a terminal event after " + reconnects + " reconnects");
    }
  }

  private Received lastReceived() {
    synchronized (received) {
      return received.isEmpty() ? null : received.getLast();
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
