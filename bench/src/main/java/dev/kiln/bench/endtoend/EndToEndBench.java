package dev.kiln.bench.endtoend;

import dev.kiln.bench.BenchArgs;
import dev.kiln.bench.BenchTarget;
import dev.kiln.bench.Measurement;
import dev.kiln.bench.Progress;
import dev.kiln.bench.client.BenchTenant;
import dev.kiln.bench.client.EventStream;
import dev.kiln.bench.client.Finishes;
import dev.kiln.bench.client.KilnHttp;
import dev.kiln.bench.client.NoOpJobs;
import dev.kiln.bench.cpu.ProcessCpu;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * End to end: no-op synthetic jobs from submit to job.succeeded on the SSE stream.
 *
 * <p>Options: {@code --duration} (60 s window of each sustained run), {@code --concurrency} (64
 * single submits in flight), {@code --batches-in-flight} (2), {@code --max-backlog} (10,000
 * unfinished jobs), {@code --drain-timeout} (120 s), {@code --idle-jobs} (200, one at a time,
 * {@code --idle-gap-ms} 20 apart), {@code --paced-rate} (2,500 jobs/s in 1,000-job batches: is that
 * rate sustained?).
 */
public final class EndToEndBench {

  public static final String SINGLE_RATE = "end to end, single submit, sustained";
  public static final String BATCH_RATE = "end to end, batch submit, sustained";
  public static final String IDLE_START_P50 = "submit to start p50, idle";
  public static final String IDLE_START_P99 = "submit to start p99, idle";
  static final double RATE_TARGET = 2500;
  static final double IDLE_P50_TARGET_MS = 10;

  private EndToEndBench() {}

  public static List<Measurement> run(BenchTarget target, String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    KilnHttp http = new KilnHttp(target.gateway());
    List<Measurement> rows = new ArrayList<>();
    try (BenchTenant tenant = BenchTenant.open(http, target.adminKey(), "end to end")) {
      rows.addAll(idle(http, tenant.key(), args));
      rows.addAll(sustained(http, tenant.key(), args, SustainedRun.Mode.SINGLE));
      rows.addAll(sustained(http, tenant.key(), args, SustainedRun.Mode.BATCH));
      rows.addAll(paced(http, tenant.key(), args));
    }
    return rows;
  }

  private static List<Measurement> idle(KilnHttp http, String key, BenchArgs args)
      throws InterruptedException {
    int jobs = args.integer("--idle-jobs", 200);
    Duration gap = Duration.ofMillis(args.integer("--idle-gap-ms", 20));
    Progress.say("e2e: %,d jobs one at a time, %,d ms apart", jobs, gap.toMillis());
    IdleLatency.Result r = IdleLatency.run(http, key, jobs, gap, Duration.ofSeconds(90));
    String how =
        String.format(
            Locale.ROOT,
            "%,d single submits one at a time, %,d ms after the previous one succeeded; from the"
                + " bench's clock at send to job.started's occurredAt; %,d started; submit to"
                + " job.succeeded read p50 %.1f ms, p99 %.1f ms%s",
            r.submitted(),
            gap.toMillis(),
            r.toStart().count(),
            r.toSucceeded().p50(),
            r.toSucceeded().p99(),
            r.unfinished() + r.failed() == 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; INCOMPLETE: %,d unfinished after 10 s, %,d submits failed (%s)",
                    r.unfinished(),
                    r.failed(),
                    r.firstError()));
    boolean complete = r.unfinished() + r.failed() == 0 && r.toStart().count() > 0;
    return List.of(
        new Measurement(
            IDLE_START_P50,
            r.toStart().p50(),
            "ms",
            "≤ " + (long) IDLE_P50_TARGET_MS + " ms",
            complete && r.toStart().p50() <= IDLE_P50_TARGET_MS,
            how),
        Measurement.info(IDLE_START_P99, r.toStart().p99(), "ms", "same jobs"));
  }

  private static List<Measurement> sustained(
      KilnHttp http, String key, BenchArgs args, SustainedRun.Mode mode) throws Exception {
    double seconds = args.duration();
    int inFlight =
        mode == SustainedRun.Mode.BATCH
            ? args.integer("--batches-in-flight", 2)
            : args.integer("--concurrency", 64);
    int maxBacklog = args.integer("--max-backlog", 10_000);
    String label = mode == SustainedRun.Mode.BATCH ? "batch" : "single";
    Progress.say(
        "e2e: %s submit, %,d requests in flight for %.0f s (backlog cap %,d)",
        label, inFlight, seconds, maxBacklog);
    Measured m =
        measure(
            http,
            key,
            args,
            finishes -> SustainedRun.run(http, key, finishes, mode, inFlight, seconds, maxBacklog));
    SustainedRun.Result r = m.result();
    String how =
        String.format(
            Locale.ROOT,
            "%.0f s window, %,d %s requests in flight; %,d jobs accepted (%,.0f/s), %,d seen"
                + " succeeding within the window%s",
            seconds,
            inFlight,
            mode == SustainedRun.Mode.BATCH ? "1,000-job batch" : "single-job",
            r.submitted(),
            r.submittedPerSecond(),
            r.finishedInWindow(),
            m.notes());
    String name = mode == SustainedRun.Mode.BATCH ? BATCH_RATE : SINGLE_RATE;
    return List.of(
        new Measurement(
            name,
            r.perSecond(),
            "jobs/s",
            String.format(Locale.ROOT, "≥ %,d jobs/s", (long) RATE_TARGET),
            r.perSecond() >= RATE_TARGET && r.failedRequests() == 0,
            how),
        cpuPerJob(label + " submit", m.cpu(), r.finishedInWindow()),
        backlog(
            "end to end, " + label + " submit, backlog at end",
            r,
            2 * inFlight * mode.jobsPerRequest,
            maxBacklog,
            m.drained()));
  }

  /**
   * Batches at a fixed rate of jobs for the window: the rate is sustained when the backlog stays
   * level (the as-fast-as-taken runs always fill it, since submitting outruns finishing).
   */
  private static List<Measurement> paced(KilnHttp http, String key, BenchArgs args)
      throws Exception {
    double seconds = args.duration();
    double rate = args.number("--paced-rate", RATE_TARGET);
    int maxBacklog = args.integer("--max-backlog", 10_000);
    int maxOutstanding = args.integer("--batches-in-flight", 2) * 4;
    Progress.say(
        "e2e: batch submit paced at %,.0f jobs/s for %.0f s (backlog cap %,d)",
        rate, seconds, maxBacklog);
    Measured m =
        measure(
            http,
            key,
            args,
            finishes ->
                SustainedRun.paced(http, key, finishes, rate, seconds, maxBacklog, maxOutstanding));
    SustainedRun.Result r = m.result();
    String label = String.format(Locale.ROOT, "batch submit paced at %,.0f jobs/s", rate);
    String how =
        String.format(
            Locale.ROOT,
            "%.0f s window, a 1,000-job batch due every %.0f ms whether or not the earlier ones"
                + " were answered (at most %,d outstanding); %,d jobs accepted (%,.0f/s), %,d seen"
                + " succeeding within the window%s",
            seconds,
            1000 * NoOpJobs.BATCH_SIZE / rate,
            maxOutstanding,
            r.submitted(),
            r.submittedPerSecond(),
            r.finishedInWindow(),
            m.notes());
    boolean bounded = bounded(r, 2 * NoOpJobs.BATCH_SIZE) && r.failedRequests() == 0;
    return List.of(
        Measurement.info("end to end, " + label, r.perSecond(), "jobs/s", how),
        cpuPerJob(label, m.cpu(), r.finishedInWindow()),
        new Measurement(
            "end to end, " + label + ", backlog at end",
            r.backlogAtEnd(),
            "jobs",
            "bounded",
            bounded,
            backlogHow(r, maxBacklog, m.drained())));
  }

  /** A run's result with what was measured around it. */
  private record Measured(
      SustainedRun.Result result, Map<String, Double> cpu, String drained, int reconnects) {
    String notes() {
      return (result.failedRequests() == 0
              ? ""
              : String.format(
                  Locale.ROOT,
                  "; %,d requests failed (%s)",
                  result.failedRequests(),
                  result.firstError()))
          + (reconnects == 0 ? "" : "; the event stream reconnected " + reconnects + " times");
    }
  }

  /** Runs one sustained run with its own stream of finishes, CPU readings and drain. */
  private static Measured measure(
      KilnHttp http,
      String key,
      BenchArgs args,
      java.util.function.Function<Finishes, SustainedRun.Result> run)
      throws Exception {
    Duration drainTimeout = Duration.ofSeconds(args.integer("--drain-timeout", 120));
    try (Finishes finishes = new Finishes();
        EventStream stream =
            EventStream.open(
                http, key, "/api/v1/events?type=synthetic&status=succeeded", finishes)) {
      Map<String, Double> cpuBefore = CPU.snapshot();
      SustainedRun.Result r = run.apply(finishes);
      Map<String, Double> cpu = ProcessCpu.between(cpuBefore, CPU.snapshot());
      String drained = finishes.drain(drainTimeout);
      return new Measured(r, cpu, drained, stream.reconnects());
    }
  }

  private static Measurement backlog(
      String name, SustainedRun.Result r, int slack, int maxBacklog, String drained) {
    return new Measurement(
        name,
        r.backlogAtEnd(),
        "jobs",
        "bounded",
        bounded(r, slack),
        backlogHow(r, maxBacklog, drained));
  }

  private static String backlogHow(SustainedRun.Result r, int maxBacklog, String drained) {
    return String.format(
        Locale.ROOT,
        "jobs accepted but not seen succeeding: %,d at mid-window, peak %,d; %s; %s",
        r.backlogAtHalf(),
        r.peakBacklog(),
        r.heldAtCap()
            ? String.format(Locale.ROOT, "submission was held back at the cap of %,d", maxBacklog)
            : String.format(Locale.ROOT, "never reached the cap of %,d", maxBacklog),
        drained);
  }

  private static final ProcessCpu CPU = new ProcessCpu();

  /**
   * CPU-milliseconds each part of the platform spent per job seen succeeding in the window. why:
   * everything shares the same cores, so the part with the largest share is where time per job has
   * to come from.
   */
  static Measurement cpuPerJob(String run, Map<String, Double> cpu, long jobs) {
    double total = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
    StringBuilder parts = new StringBuilder();
    cpu.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(
            e ->
                parts
                    .append(parts.isEmpty() ? "" : ", ")
                    .append(
                        String.format(
                            Locale.ROOT, "%s %.3f", e.getKey(), 1000 * e.getValue() / jobs)));
    return Measurement.info(
        "CPU per job, " + run,
        jobs == 0 ? Double.NaN : 1000 * total / jobs,
        "ms",
        "CPU-ms per job seen succeeding in the window, by part (/proc): " + parts);
  }

  /**
   * Whether the platform kept up: the backlog never reached the cap, and it grew by at most a
   * quarter in the second half of the window (or stayed within {@code slack}, the jobs of two
   * rounds of requests in flight, which a steady pipeline holds anyway).
   */
  static boolean bounded(SustainedRun.Result r, int slack) {
    return !r.heldAtCap() && r.backlogAtEnd() <= Math.max(1.25 * r.backlogAtHalf(), slack);
  }
}
