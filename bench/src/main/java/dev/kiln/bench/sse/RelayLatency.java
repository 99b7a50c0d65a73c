package dev.kiln.bench.sse;

import dev.kiln.bench.BenchTarget;
import dev.kiln.bench.Measurement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Event relay latency while many SSE clients are subscribed: from a worker's publish of an event to
 * an SSE client's receipt of it.
 *
 * <p>Method: {@code --clients} (1,000) clients of the bench's own tenant subscribe to the all-jobs
 * stream {@code GET /api/v1/events?type=synthetic} (so every client gets every event of the run;
 * the tenant scoping keeps other tenants' jobs out). The bench then submits no-op synthetic jobs at
 * {@code --rate} jobs/s (10: two events each, so 20,000 frames/s to 1,000 clients) for {@code
 * --warmup} + {@code --seconds} seconds. For every {@code data:} line a client reads, the latency
 * is the client's wall clock at the read minus the event's {@code occurredAt}, which the worker
 * sets when it publishes (same machine, same clock). It covers the events exchange, the gateway's
 * store and commit, the relay fan-out, the SSE write and the client's read. Events that occurred
 * during the warm-up are not counted. It also prints the gateway's own occurredAt-to-hub histogram
 * ({@code kiln_event_relay_lag_seconds}), which splits the latency into the way to the hub and the
 * fan-out, and the gateway's CPU time per delivered frame. Usage: {@code RelayLatency [--gateway
 * URL] [--state-dir DIR] [--clients N] [--rate JOBS_PER_S] [--seconds S]}
 */
public final class RelayLatency {

  private RelayLatency() {}

  public static void main(String[] args) throws Exception {
    run(Options.target(args), args).forEach(System.out::println);
  }

  public static List<Measurement> run(BenchTarget target, String[] args) throws Exception {
    int clients = Options.integer(args, "clients", 1000);
    int rate = Options.integer(args, "rate", 10);
    int warmup = Options.integer(args, "warmup", 3);
    int seconds = Options.integer(args, "seconds", 15);
    int sources = Options.integer(args, "sources", 4);
    LatencyHistogram latency = new LatencyHistogram();
    long[] measureFromMicros = {Long.MAX_VALUE};
    try (BenchApi api = new BenchApi(target);
        SseClients sse =
            new SseClients(
                api.address(),
                "/api/v1/events?type=synthetic",
                api.key,
                sources,
                2,
                (conn, line, length, now) -> {
                  long occurred = occurredAtMicros(line, length);
                  if (occurred >= measureFromMicros[0]) {
                    latency.record(now - occurred);
                  }
                })) {
      sse.openUpTo(clients, 200, 60_000);
      if (sse.opened() < clients) {
        throw new IllegalStateException(
            "only " + sse.opened() + " of " + clients + " streams opened: " + sse.failures());
      }
      var hubBefore = HubLag.read(target.gateway());
      long pid = gatewayPid(target);
      long cpuBefore = pid > 0 ? GatewayHeap.cpuMillis(pid) : 0;
      long framesBefore = sse.frames();
      AtomicInteger submitted = new AtomicInteger();
      AtomicInteger failedSubmits = new AtomicInteger();
      long start = System.nanoTime();
      long periodNanos = 1_000_000_000L / rate;
      int jobs = rate * (warmup + seconds);
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < jobs; i++) {
          long due = start + i * periodNanos;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          if (i == rate * warmup) {
            measureFromMicros[0] = SseClients.nowMicros();
          }
          pool.submit(
              () -> {
                try {
                  api.submit();
                  submitted.incrementAndGet();
                } catch (Exception e) {
                  failedSubmits.incrementAndGet();
                }
              });
        }
      }
      // why: the last jobs' events are still on their way when the last submit returns
      long expected = (long) rate * seconds * 2 * clients;
      long deadline = System.currentTimeMillis() + 10_000;
      while (latency.count() < expected && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
      }
      System.err.println(HubLag.between(hubBefore, HubLag.read(target.gateway())));
      double cpuPerFrameMicros =
          pid > 0
              ? (GatewayHeap.cpuMillis(pid) - cpuBefore)
                  * 1000.0
                  / Math.max(1, sse.frames() - framesBefore)
              : Double.NaN;
      System.err.printf(
          "gateway CPU %.1f µs per delivered frame (all its work during the run, over %,d"
              + " frames)%n",
          cpuPerFrameMicros, sse.frames() - framesBefore);
      double p50 = latency.quantileMs(0.50);
      double p99 = latency.quantileMs(0.99);
      String how =
          String.format(
              "%d clients on GET /api/v1/events?type=synthetic, %d no-op jobs/s for %d s (+%d s"
                  + " warm-up); %d events received of ~%d expected, %d streams cut by the"
                  + " gateway, %d failed submits; worker occurredAt to client read",
              clients,
              rate,
              seconds,
              warmup,
              latency.count(),
              expected,
              sse.endedByServer(),
              failedSubmits.get());
      System.err.printf(
          "relay latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max bucket %.1f ms;"
              + " %s%n",
          p50,
          latency.quantileMs(0.90),
          p99,
          latency.quantileMs(0.999),
          latency.quantileMs(1.0),
          how);
      return List.of(
          Measurement.info("SSE relay latency p50, " + clients + " clients", p50, "ms", how),
          Measurement.info(
              "SSE gateway CPU per delivered frame",
              Math.round(cpuPerFrameMicros * 10) / 10.0,
              "µs",
              "gateway process CPU time during the run over the frames the clients got"),
          Measurement.atMost("SSE relay latency p99, " + clients + " clients", p99, "ms", 50, how));
    }
  }

  /** The gateway's pid from the state dir, or 0 when there is none (a remote gateway). */
  private static long gatewayPid(BenchTarget target) {
    try {
      return GatewayHeap.pid(target);
    } catch (Exception e) {
      return 0;
    }
  }

  private static final byte[] OCCURRED_AT = "\"occurredAt\":\"".getBytes(StandardCharsets.UTF_8);

  /**
   * Epoch microseconds of an ISO-8601 UTC instant such as {@code 2026-12-06T12:53:59.97233Z}. why
   * by hand: the clients parse one per frame, tens of thousands a second, on the machine whose
   * latency they measure.
   */
  static long isoMicros(byte[] s, int from, int to) {
    if (to - from < 20 || s[to - 1] != 'Z' || s[from + 10] != 'T') {
      Instant at = Instant.parse(new String(s, from, to - from, StandardCharsets.US_ASCII));
      return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    }
    long days =
        java.time.LocalDate.of(digits(s, from, 4), digits(s, from + 5, 2), digits(s, from + 8, 2))
            .toEpochDay();
    long seconds =
        days * 86_400
            + digits(s, from + 11, 2) * 3600L
            + digits(s, from + 14, 2) * 60L
            + digits(s, from + 17, 2);
    long micros = 0;
    int scale = 100_000;
    for (int i = from + 20; i < to - 1 && scale > 0; i++, scale /= 10) {
      micros += (s[i] - '0') * scale;
    }
    return seconds * 1_000_000 + micros;
  }

  private static int digits(byte[] s, int at, int n) {
    int v = 0;
    for (int i = at; i < at + n; i++) {
      v = v * 10 + (s[i] - '0');
    }
    return v;
  }

  /** The {@code occurredAt} of a frame's JSON, in epoch microseconds; MIN_VALUE when absent. */
  static long occurredAtMicros(byte[] line, int length) {
    outer:
    for (int i = 0; i + OCCURRED_AT.length < length; i++) {
      for (int j = 0; j < OCCURRED_AT.length; j++) {
        if (line[i + j] != OCCURRED_AT[j]) {
          continue outer;
        }
      }
      int from = i + OCCURRED_AT.length;
      int to = from;
      while (to < length && line[to] != '"') {
        to++;
      }
      return isoMicros(line, from, to);
    }
    return Long.MIN_VALUE;
  }
}
