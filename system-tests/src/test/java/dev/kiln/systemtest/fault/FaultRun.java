package dev.kiln.systemtest.fault;

import dev.kiln.model.json.KilnJson;
import dev.kiln.systemtest.fault.Db.DeadLetterRow;
import dev.kiln.systemtest.fault.Db.EventRow;
import dev.kiln.systemtest.fault.Db.JobRow;
import dev.kiln.systemtest.fault.RunReport.Check;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One run: submits the planned load through a {@link GoodClient}, follows a sample over SSE,
 * cancels the cancel jobs while they run, injects the fault a third of the way into the submission
 * window, submits a probe job when the fault is over, waits for every job to end, then checks the
 * invariants and measures.
 */
final class FaultRun {

  /** How long the unfinished jobs may go without any stored event before the wait gives up. */
  static final Duration STALL = Duration.ofSeconds(60);

  /** How a run is sized. */
  record Settings(int jobs, Duration window, Duration terminalDeadline, int watchers) {}

  private final Fault fault;
  private final Settings settings;
  private final FaultCluster cluster;
  private final PrivateServices services;
  private final GoodClient client;
  private final Db db;
  private final Invariants.BucketView bucket;
  private final Random random;
  private final RunReport report;
  private final List<Tracked> extra = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> watcherThreads = Collections.synchronizedList(new ArrayList<>());

  FaultRun(
      Fault fault,
      Settings settings,
      FaultCluster cluster,
      PrivateServices services,
      GoodClient client,
      Db db,
      Invariants.BucketView bucket,
      Random random) {
    this.fault = fault;
    this.settings = settings;
    this.cluster = cluster;
    this.services = services;
    this.client = client;
    this.db = db;
    this.bucket = bucket;
    this.random = random;
    this.report = new RunReport(fault.name());
  }

  RunReport execute() {
    Instant runStart = Instant.now();
    client.resetCounters();
    String runName = fault.name().replaceAll("[^a-zA-Z]+", "-");
    List<Tracked> load =
        PlannedJob.plan(random, settings.jobs(), settings.window().toMillis(), runName).stream()
            .map(Tracked::new)
            .toList();
    markWatched(load);
    Instant faultStart;
    Instant faultEnd;
    Tracked probe = new Tracked(PlannedJob.probe(random, runName));
    Fault.Context ctx =
        new Fault.Context(
            cluster, services, db, report, load, plan -> submitExtra(new Tracked(plan)));
    fault.prepare(ctx);
    long t0 = System.nanoTime();
    Instant loadStart = Instant.now();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Tracked job : load) {
        pool.submit(() -> drive(job, t0));
      }
      sleepUntil(t0, settings.window().toMillis() / 3);
      faultStart = Instant.now();
      try {
        fault.inject(ctx);
      } catch (RuntimeException e) {
        report.add(Check.CLIENT, "injecting " + fault.name() + " failed: " + e);
      }
      faultEnd = Instant.now();
      submitExtra(probe);
    }
    report.notes.add(
        "fault from +"
            + Duration.between(loadStart, faultStart).toMillis()
            + " ms to +"
            + Duration.between(loadStart, faultEnd).toMillis()
            + " ms");
    List<Tracked> all = new ArrayList<>(load.stream().filter(Tracked::accepted).toList());
    all.addAll(extra.stream().filter(Tracked::accepted).toList());
    List<UUID> ids = all.stream().map(t -> t.id).toList();
    awaitTerminal(ids);
    awaitWatchers();
    Map<UUID, JobRow> rows = db.jobs(ids);
    awaitDeadLetters(all, rows);
    measure(all, probe, faultEnd, db.events(ids));
    report.notes.add(
        String.format(
            "client: %d connection errors, %d 502/503/504, %d 500, %d idempotent replays",
            client.connectionErrors.get(),
            client.unavailable.get(),
            client.serverErrors.get(),
            client.replays.get()));
    client.serverErrorSamples.forEach(s -> report.add(Check.CLIENT, s));
    cluster.exits().stream()
        .filter(e -> e.at().isAfter(runStart))
        .forEach(e -> report.notes.add("process exit: " + e));

    Instant checkStart = Instant.now();
    rows = db.jobs(ids);
    Map<UUID, List<EventRow>> events = db.events(ids);
    Map<UUID, List<DeadLetterRow>> deadLetters = db.deadLetters(ids);
    Invariants invariants = new Invariants(client, bucket, report);
    invariants.terminalStates(all, rows, events, deadLetters);
    invariants.eventOrder(all, rows, events);
    invariants.sse(all, rows, events);
    invariants.artifacts(all, rows);
    fault.verify(ctx, events);
    notes(all, rows, events);
    if (report.lost() > 0) {
      report.notes.add(
          "broker queues holding messages after the deadline: " + services.broker.nonEmptyQueues());
    }
    report.wallTime = Duration.between(runStart, Instant.now());
    report.notes.add(
        "run took "
            + RunReport.seconds(report.wallTime)
            + ", of which checking "
            + RunReport.seconds(Duration.between(checkStart, Instant.now())));
    return report;
  }

  /** Every cancel job, and a sample of the jobs submitted just before the fault. */
  private void markWatched(List<Tracked> load) {
    long from = settings.window().toMillis() / 6;
    long to = settings.window().toMillis() / 3;
    List<Tracked> candidates =
        new ArrayList<>(
            load.stream()
                .filter(t -> t.plan.offsetMillis() >= from && t.plan.offsetMillis() <= to)
                .toList());
    Collections.shuffle(candidates, random);
    for (Tracked t : load) {
      t.watched = t.plan.kind() == PlannedJob.Kind.CANCEL;
    }
    int chosen = (int) load.stream().filter(t -> t.watched).count();
    for (Tracked t : candidates) {
      if (chosen >= settings.watchers()) {
        break;
      }
      if (!t.watched) {
        t.watched = true;
        chosen++;
      }
    }
  }

  private void drive(Tracked job, long t0) {
    sleepUntil(t0, job.plan.offsetMillis());
    submit(job);
    if (!job.accepted()) {
      return;
    }
    if (job.plan.kind() == PlannedJob.Kind.CANCEL) {
      new Canceller(client, job).run();
    }
  }

  private Tracked submitExtra(Tracked job) {
    extra.add(job);
    submit(job);
    return job;
  }

  private void submit(Tracked job) {
    job.submitStart = Instant.now();
    long started = System.nanoTime();
    int gateway = Math.floorMod(job.plan.index(), cluster.gateways().size());
    try {
      GoodClient.Answer answer =
          client.post(
              "/api/v1/jobs",
              job.plan.body(),
              job.plan.idempotencyKey(),
              gateway,
              Duration.ofSeconds(150));
      if (answer.status() != 202) {
        job.submitProblem = answer.status() + " " + answer.body();
        report.add(Check.CLIENT, "submission answered " + job.submitProblem + " for " + job);
        return;
      }
      job.submitLatency = Duration.ofNanos(System.nanoTime() - started);
      job.id = UUID.fromString(KilnJson.mapper().readTree(answer.body()).path("id").asText());
    } catch (Exception e) {
      job.submitProblem = e.toString();
      report.add(Check.CLIENT, "submission never accepted: " + e.getMessage() + " for " + job);
      return;
    }
    if (job.watched) {
      SseWatcher watcher =
          new SseWatcher(
              job.id,
              client.gateways(),
              client.http(),
              gateway,
              1 + Math.floorMod(job.plan.index(), 3),
              settings.terminalDeadline().plus(settings.window()).plusSeconds(120));
      job.watcher = watcher;
      watcherThreads.add(Thread.ofVirtual().name("sse-" + job.id).start(watcher));
    }
  }

  /**
   * Waits until every job ended, for at most the deadline, and gives up earlier when nothing at all
   * happened to the unfinished jobs (no event stored) for {@link #STALL}: what is stuck then stays
   * stuck, and a broken run should not hold the suite for the whole deadline.
   */
  private void awaitTerminal(List<UUID> ids) {
    long deadline = System.nanoTime() + settings.terminalDeadline().toNanos();
    long lastEvent = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Map<UUID, JobRow> rows = db.jobs(ids);
      List<UUID> open =
          ids.stream().filter(id -> !rows.containsKey(id) || !rows.get(id).terminal()).toList();
      if (open.isEmpty()) {
        return;
      }
      long newest = db.newestEventId(open);
      if (newest != lastEvent) {
        lastEvent = newest;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
        report.notes.add(
            open.size()
                + " jobs still open and no event stored for them in "
                + STALL.toSeconds()
                + " s; stopped waiting");
        return;
      }
      Os.sleep(Duration.ofSeconds(1));
    }
  }

  private void awaitWatchers() {
    for (Thread t : List.copyOf(watcherThreads)) {
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Dead letters are recorded from their own queue, shortly after the job's end. */
  private void awaitDeadLetters(List<Tracked> all, Map<UUID, JobRow> rows) {
    List<UUID> expecting =
        all.stream()
            .filter(
                t ->
                    !t.plan.expectedDeadLetters().isEmpty()
                        && rows.containsKey(t.id)
                        && rows.get(t.id).terminal())
            .map(t -> t.id)
            .toList();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!expecting.isEmpty() && System.nanoTime() < deadline) {
      if (db.deadLetters(expecting).keySet().containsAll(expecting)) {
        return;
      }
      Os.sleep(Duration.ofMillis(500));
    }
  }

  private void measure(
      List<Tracked> all, Tracked probe, Instant faultEnd, Map<UUID, List<EventRow>> events) {
    report.jobs = all.size();
    List<Duration> e2e = new ArrayList<>();
    List<Duration> submit = new ArrayList<>();
    Instant first = null;
    Instant last = null;
    for (Tracked t : all) {
      if (t.submitLatency != null) {
        submit.add(t.submitLatency);
      }
      first = first == null || t.submitStart.isBefore(first) ? t.submitStart : first;
      Instant end = terminalAt(events.get(t.id));
      if (end != null) {
        e2e.add(Duration.between(t.submitStart, end));
        last = last == null || end.isAfter(last) ? end : last;
      }
    }
    report.e2eP50 = RunReport.percentile(e2e, 50);
    report.e2eP99 = RunReport.percentile(e2e, 99);
    report.submitP50 = RunReport.percentile(submit, 50);
    report.submitP99 = RunReport.percentile(submit, 99);
    if (first != null && last != null) {
      report.throughput =
          e2e.size() / Math.max(0.001, Duration.between(first, last).toMillis() / 1000.0);
    }
    Instant probeEnd = probe.accepted() ? terminalAt(events.get(probe.id)) : null;
    report.recovery = probeEnd == null ? null : Duration.between(faultEnd, probeEnd);
    report.retries = client.retries.get();
    report.watchers = (int) all.stream().filter(t -> t.watcher != null).count();
    report.sseReconnects =
        all.stream().filter(t -> t.watcher != null).mapToLong(t -> t.watcher.reconnects()).sum();
  }

  /** When the job's terminal event was stored: when clients could first see the end. */
  static Instant terminalAt(List<EventRow> history) {
    if (history == null) {
      return null;
    }
    return history.stream()
        .filter(e -> SseWatcher.TERMINAL.contains(e.type()))
        .map(EventRow::storedAt)
        .findFirst()
        .orElse(null);
  }

  /**
   * Observations that break no invariant but say what the fault did: jobs the watchdog recovered (a
   * job the watchdog reschedules runs again; one on its last attempt would fail WORKER_LOST),
   * resumed runs, and how the extra jobs (poison, probe) ended.
   */
  private void notes(List<Tracked> all, Map<UUID, JobRow> rows, Map<UUID, List<EventRow>> events) {
    List<String> recovered = new ArrayList<>();
    for (Tracked t : all) {
      for (EventRow e : events.getOrDefault(t.id, List.of())) {
        if (e.run() == null && "WORKER_LOST".equals(e.field("code"))) {
          recovered.add(
              t.id
                  + " ("
                  + t.plan.kind()
                  + ", "
                  + e.type()
                  + " of attempt "
                  + e.attempt()
                  + " stored "
                  + e.storedAt()
                  + ")");
        }
      }
    }
    long resumedRuns =
        events.values().stream().flatMap(List::stream).filter(EventRow::resumed).count();
    report.notes.add(
        recovered.size()
            + " watchdog recoveries (WORKER_LOST)"
            + (recovered.isEmpty()
                ? ""
                : ": " + recovered.subList(0, Math.min(5, recovered.size())))
            + ", "
            + resumedRuns
            + " resumed runs");
    for (Tracked t : extra) {
      JobRow row = rows.get(t.id);
      if (t.accepted() && t.plan.kind() != PlannedJob.Kind.SUCCEED) {
        report.notes.add(
            t.plan.kind()
                + " job "
                + t.id
                + " ended "
                + (row == null
                    ? "?"
                    : row.status() + (row.errorCode() == null ? "" : " " + row.errorCode())));
      }
    }
  }

  private static void sleepUntil(long t0, long offsetMillis) {
    long wait = t0 + offsetMillis * 1_000_000 - System.nanoTime();
    if (wait > 0) {
      Os.sleep(Duration.ofNanos(wait));
    }
  }
}
