package dev.kiln.bench.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A job event stream read on its own thread, handing each event to a sink. It reconnects with
 * Last-Event-ID when the gateway drops it (say, a restart), so no event of the run is lost.
 */
public final class EventStream implements AutoCloseable {

  /**
   * @param id the event's position in the event store
   * @param type e.g. job.started
   * @param jobId the job's id as text
   * @param occurredAt when its emitter (gateway or worker) created it
   * @param receivedNanos System.nanoTime() when the bench read it
   */
  public record Event(long id, String type, String jobId, Instant occurredAt, long receivedNanos) {}

  private final KilnHttp http;
  private final String bearer;
  private final String path;
  private final Consumer<Event> sink;
  private final CountDownLatch connected = new CountDownLatch(1);
  private final AtomicInteger reconnects = new AtomicInteger();
  private final Thread reader;
  private volatile boolean closed;
  private volatile InputStream body;
  private volatile long lastId = -1;

  private EventStream(KilnHttp http, String bearer, String path, Consumer<Event> sink) {
    this.http = http;
    this.bearer = bearer;
    this.path = path;
    this.sink = sink;
    this.reader = Thread.ofPlatform().daemon().name("bench-sse").start(this::readLoop);
  }

  /**
   * Subscribes to {@code path} (e.g. {@code /api/v1/events?type=synthetic}) and waits until the
   * gateway has answered, so no event of a job submitted afterwards can be missed.
   */
  public static EventStream open(KilnHttp http, String bearer, String path, Consumer<Event> sink)
      throws InterruptedException {
    EventStream stream = new EventStream(http, bearer, path, sink);
    if (!stream.connected.await(15, TimeUnit.SECONDS)) {
      stream.close();
      throw new IllegalStateException("the event stream " + path + " did not open within 15 s");
    }
    return stream;
  }

  /** How often the stream was re-opened after the gateway dropped it. */
  public int reconnects() {
    return reconnects.get();
  }

  private void readLoop() {
    while (!closed) {
      try {
        HttpResponse<InputStream> response = http.stream(path, bearer, lastId);
        if (response.statusCode() != 200) {
          response.body().close();
          throw new IllegalStateException("event stream answered HTTP " + response.statusCode());
        }
        body = response.body();
        read(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
      } catch (Exception e) {
        if (closed) {
          return;
        }
        System.err.println("event stream " + path + " dropped (" + e + "); reconnecting");
      }
      if (!closed) {
        reconnects.incrementAndGet();
        sleepQuietly(Duration.ofMillis(500));
      }
    }
  }

  private void read(BufferedReader in) throws Exception {
    SseFrames frames = new SseFrames();
    for (String line = in.readLine(); line != null && !closed; line = in.readLine()) {
      // why: the gateway writes its ":open" comment once the subscription is registered, so from
      // the first line on no event can slip past; the response headers alone come earlier
      connected.countDown();
      SseFrames.Frame frame = frames.line(line);
      if (frame == null || frame.data().isEmpty()) {
        continue;
      }
      long now = System.nanoTime();
      JsonNode json = KilnHttp.JSON.readTree(frame.data());
      long id = json.path("id").asLong(-1);
      String occurred = json.path("occurredAt").asText(null);
      Event event =
          new Event(
              id,
              json.path("type").asText(),
              json.path("jobId").asText(),
              occurred == null ? null : Instant.parse(occurred),
              now);
      if (id >= 0) {
        lastId = id;
      }
      sink.accept(event);
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (Exception ignored) {
        // why: closing is how the reader thread is woken; a failure here changes nothing
      }
    }
    reader.interrupt();
  }
}
