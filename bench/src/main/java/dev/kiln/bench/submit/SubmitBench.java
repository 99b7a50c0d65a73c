package dev.kiln.bench.submit;

import dev.kiln.bench.BenchArgs;
import dev.kiln.bench.BenchTarget;
import dev.kiln.bench.Measurement;
import dev.kiln.bench.Progress;
import dev.kiln.bench.client.BenchTenant;
import dev.kiln.bench.client.EventStream;
import dev.kiln.bench.client.Finishes;
import dev.kiln.bench.client.KilnHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Submit latency and throughput: time to the 202, which includes the durable insert.
 *
 * <p>Options: {@code --submit-rate} (500 jobs/s), {@code --submit-seconds} (20, at most
 * --duration), {@code --concurrency} (64 requests in flight in the closed loop), {@code
 * --drain-timeout} (120 s to wait for the submitted jobs to finish before the next measurement).
 */
public final class SubmitBench {

  public static final String OPEN_P50 = "submit p50, open loop";
  public static final String OPEN_P99 = "submit p99, open loop";
  public static final String CLOSED_RATE = "submit max throughput, closed loop";
  static final double P99_TARGET_MS = 25;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private SubmitBench() {}

  public static List<Measurement> run(BenchTarget target, String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    double rate = args.number("--submit-rate", 500);
    double openSeconds = args.number("--submit-seconds", Math.min(20, args.duration()));
    double closedSeconds = Math.min(10, args.duration());
    int concurrency = args.integer("--concurrency", 64);
    Duration drain = Duration.ofSeconds(args.integer("--drain-timeout", 120));
    KilnHttp http = new KilnHttp(target.gateway());
    List<Measurement> rows = new ArrayList<>();
    try (BenchTenant tenant = BenchTenant.open(http, target.adminKey(), "submit");
        Finishes finishes = new Finishes();
        EventStream stream =
            EventStream.open(
                http, tenant.key(), "/api/v1/events?type=synthetic&status=succeeded", finishes)) {
      Progress.say("submit: open loop, %.0f jobs/s for %.0f s (+ warm-up)", rate, openSeconds);
      double warmup = Math.min(2, openSeconds / 5);
      SubmitRun open =
          OpenLoopSubmit.run(
              http, tenant.key(), finishes, rate, warmup, openSeconds, REQUEST_TIMEOUT);
      String drained = finishes.drain(drain);
      String how =
          String.format(
              Locale.ROOT,
              "%,d single submits due every %.1f ms for %.0f s after %.0f s of warm-up at that rate,"
                  + " timed from the due time to the 202;"
                  + " %,d accepted (%,.0f/s), %s; generator lag max %.1f ms; %s",
              open.due(),
              1000 / rate,
              openSeconds,
              warmup,
              open.accepted(),
              open.acceptedPerSecond(),
              open.failures(),
              open.maxLagMillis(),
              drained);
      String name = String.format(Locale.ROOT, " at %.0f jobs/s", rate);
      rows.add(
          Measurement.info(
              OPEN_P50 + name, open.latency().p50(), "ms", "the requests of the next row"));
      boolean met =
          open.latency().p99() <= P99_TARGET_MS && open.failed() == 0 && open.accepted() > 0;
      rows.add(
          new Measurement(
              OPEN_P99 + name,
              open.latency().p99(),
              "ms",
              "≤ " + (long) P99_TARGET_MS + " ms",
              met,
              open.failed() == 0 ? how : "INCOMPLETE: " + how));

      Progress.say("submit: closed loop, %,d in flight for %.0f s", concurrency, closedSeconds);
      SubmitRun closed =
          ClosedLoopSubmit.run(
              http, tenant.key(), finishes, concurrency, closedSeconds, REQUEST_TIMEOUT);
      drained = finishes.drain(drain);
      rows.add(
          Measurement.info(
              CLOSED_RATE,
              closed.acceptedPerSecond(),
              "jobs/s",
              String.format(
                  Locale.ROOT,
                  "%,d single submits in flight for %.0f s: %,d accepted, p50 %.1f ms, p99 %.1f"
                      + " ms; %s; %s",
                  concurrency,
                  closedSeconds,
                  closed.accepted(),
                  closed.latency().p50(),
                  closed.latency().p99(),
                  closed.failures(),
                  drained)));
    }
    return rows;
  }
}
