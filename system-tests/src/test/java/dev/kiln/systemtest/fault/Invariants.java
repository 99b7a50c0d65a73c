package dev.kiln.systemtest.fault;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.json.KilnJson;
import dev.kiln.systemtest.SyntheticArtifact;
import dev.kiln.systemtest.fault.Db.DeadLetterRow;
import dev.kiln.systemtest.fault.Db.EventRow;
import dev.kiln.systemtest.fault.Db.JobRow;
import dev.kiln.systemtest.fault.RunReport.Check;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The five invariants, checked for every job of a run once all are terminal (or the deadline
 * passed).
 */
final class Invariants {

  static final Set<String> ENDS =
      Set.of("job.succeeded", "job.failed", "job.cancelled", "job.retrying");

  private final GoodClient client;
  private final BucketView bucket;
  private final RunReport report;

  Invariants(GoodClient client, BucketView bucket, RunReport report) {
    this.client = client;
    this.bucket = bucket;
    this.report = report;
  }

  /** The evidence a finding quotes: the job, what it asked for, and its stored history. */
  static String evidence(Tracked job, JobRow row, List<EventRow> events) {
    StringBuilder out = new StringBuilder(job.toString());
    if (row != null) {
      out.append("\n  row: status ")
          .append(row.status())
          .append(", attempt ")
          .append(row.attempt());
      out.append(", error ").append(row.errorCode()).append(", stage ").append(row.currentStage());
    }
    out.append("\n  events: ").append(history(events));
    return out.toString();
  }

  static String history(List<EventRow> events) {
    if (events == null || events.isEmpty()) {
      return "(none stored)";
    }
    Map<UUID, String> runs = new LinkedHashMap<>();
    return events.stream()
        .map(
            e ->
                "#"
                    + e.id()
                    + " "
                    + e.type()
                    + " a"
                    + e.attempt()
                    + " "
                    + (e.run() == null
                        ? "gateway"
                        : "r"
                            + runs.computeIfAbsent(e.run(), r -> Integer.toString(runs.size() + 1))
                            + "/"
                            + e.seq())
                    + (e.type().equals("job.started") || ENDS.contains(e.type())
                        ? " " + e.source() + " " + brief(e.payload())
                        : ""))
        .collect(Collectors.joining(", "));
  }

  private static String brief(String payload) {
    return payload.length() > 300 ? payload.substring(0, 300) + "…" : payload;
  }

  /** Invariant 1: exactly one terminal state, the expected one (plus its dead letter). */
  void terminalStates(
      List<Tracked> jobs,
      Map<UUID, JobRow> rows,
      Map<UUID, List<EventRow>> events,
      Map<UUID, List<DeadLetterRow>> deadLetters) {
    for (Tracked job : jobs) {
      JobRow row = rows.get(job.id);
      List<EventRow> history = events.getOrDefault(job.id, List.of());
      if (row == null || !row.terminal()) {
        report.add(Check.LOST, evidence(job, row, history));
        continue;
      }
      List<EventRow> terminals =
          history.stream().filter(e -> SseWatcher.TERMINAL.contains(e.type())).toList();
      Map<Integer, Long> endsPerAttempt =
          history.stream()
              .filter(e -> ENDS.contains(e.type()))
              .collect(Collectors.groupingBy(EventRow::attempt, Collectors.counting()));
      if (terminals.size() > 1 || endsPerAttempt.values().stream().anyMatch(n -> n > 1)) {
        report.add(
            Check.DUPLICATED,
            terminals.size()
                + " terminal events, ends per attempt "
                + endsPerAttempt
                + ": "
                + evidence(job, row, history));
      }
      List<String> wrong = new ArrayList<>();
      PlannedJob plan = job.plan;
      if (!row.status().equals(plan.expectedStatus())) {
        wrong.add("status " + row.status() + ", expected " + plan.expectedStatus());
      }
      if (!plan.expectedErrorCodes().contains(row.errorCode())) {
        wrong.add("error " + row.errorCode() + ", expected one of " + plan.expectedErrorCodes());
      }
      if (terminals.isEmpty()) {
        wrong.add("no terminal event stored");
      } else if (!terminals.getLast().type().equals("job." + row.status())) {
        wrong.add("its terminal event is " + terminals.getLast().type());
      }
      Set<String> reasons =
          deadLetters.getOrDefault(job.id, List.of()).stream()
              .map(DeadLetterRow::reason)
              .collect(Collectors.toSet());
      Set<String> expectedReasons = plan.expectedDeadLetters();
      if (expectedReasons.isEmpty() && !reasons.isEmpty()) {
        wrong.add("dead-lettered (" + deadLetters.get(job.id) + ") though it should not be");
      } else if (!expectedReasons.isEmpty()
          && reasons.stream().noneMatch(expectedReasons::contains)) {
        wrong.add("dead letters " + reasons + ", expected one with a reason in " + expectedReasons);
      }
      if (!wrong.isEmpty()) {
        report.add(
            Check.WRONG_STATE, String.join("; ", wrong) + ": " + evidence(job, row, history));
      }
    }
  }

  /**
   * Invariant 2: in id order, the events of every worker run (one delivery of an attempt) carry seq
   * 1, 2, 3… without a gap, and nothing is stored after the terminal event.
   */
  void eventOrder(List<Tracked> jobs, Map<UUID, JobRow> rows, Map<UUID, List<EventRow>> events) {
    for (Tracked job : jobs) {
      List<EventRow> history = events.getOrDefault(job.id, List.of());
      List<String> problems = new ArrayList<>();
      Map<UUID, List<EventRow>> byRun = new LinkedHashMap<>();
      for (EventRow e : history) {
        if (e.run() != null) {
          byRun.computeIfAbsent(e.run(), r -> new ArrayList<>()).add(e);
        }
      }
      byRun.forEach(
          (run, list) -> {
            for (int i = 0; i < list.size(); i++) {
              if (list.get(i).seq() != i + 1) {
                problems.add(
                    "run "
                        + run
                        + " of "
                        + list.getFirst().source()
                        + " has seqs "
                        + list.stream().map(EventRow::seq).toList()
                        + " (first wrong at #"
                        + list.get(i).id()
                        + ")");
                break;
              }
            }
          });
      for (int i = 0; i < history.size(); i++) {
        if (SseWatcher.TERMINAL.contains(history.get(i).type()) && i < history.size() - 1) {
          problems.add(
              (history.size() - 1 - i)
                  + " events stored after the terminal event #"
                  + history.get(i).id());
          break;
        }
      }
      if (!problems.isEmpty()) {
        report.add(
            Check.EVENT_ORDER,
            String.join("; ", problems) + ": " + evidence(job, rows.get(job.id), history));
      }
    }
  }

  /** Invariant 3: each watcher got exactly the stored events, once each, in id order. */
  void sse(List<Tracked> jobs, Map<UUID, JobRow> rows, Map<UUID, List<EventRow>> events) {
    for (Tracked job : jobs) {
      SseWatcher watcher = job.watcher;
      JobRow row = rows.get(job.id);
      if (watcher == null || row == null || !row.terminal()) {
        continue;
      }
      List<EventRow> history = events.getOrDefault(job.id, List.of());
      List<Long> stored = history.stream().map(EventRow::id).toList();
      List<SseWatcher.Received> got = watcher.received();
      List<Long> ids = got.stream().map(SseWatcher.Received::id).toList();
      Map<Long, String> storedTypes =
          history.stream().collect(Collectors.toMap(EventRow::id, EventRow::type));
      boolean typesMatch =
          got.stream().allMatch(r -> Objects.equals(storedTypes.get(r.id()), r.type()));
      if (ids.equals(stored) && typesMatch && watcher.notes().isEmpty()) {
        continue;
      }
      Set<Long> seen = new HashSet<>();
      List<Long> duplicates = ids.stream().filter(id -> !seen.add(id)).toList();
      List<Long> missing = stored.stream().filter(id -> !seen.contains(id)).toList();
      List<Long> extra =
          ids.stream().filter(id -> !storedTypes.containsKey(id)).distinct().toList();
      report.add(
          Check.SSE,
          "watcher ("
              + watcher.reconnects()
              + " reconnects, notes "
              + watcher.notes()
              + ") got "
              + ids
              + "; duplicates "
              + duplicates
              + ", missing "
              + missing
              + ", not stored "
              + extra
              + (typesMatch ? "" : ", some with another type")
              + ": "
              + evidence(job, row, history));
    }
  }

  /**
   * Invariants 4 and 5: every artifact the API lists downloads (through the API's redirect) with
   * its size and SHA-256; a job that should have produced one did; a cancelled job lists none and
   * has no object under {@code artifacts/{id}/}.
   */
  void artifacts(List<Tracked> jobs, Map<UUID, JobRow> rows) {
    Semaphore parallel = new Semaphore(6);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Tracked job : jobs) {
        JobRow row = rows.get(job.id);
        if (row == null || !row.terminal()) {
          continue;
        }
        pool.submit(
            () -> {
              parallel.acquireUninterruptibly();
              try {
                checkArtifacts(job, row);
              } catch (IOException | RuntimeException e) {
                report.add(Check.ARTIFACTS, "could not check the artifacts of " + job + ": " + e);
              } finally {
                parallel.release();
              }
            });
      }
    }
    List<Tracked> cancelled =
        jobs.stream()
            .filter(j -> rows.containsKey(j.id) && rows.get(j.id).status().equals("cancelled"))
            .toList();
    Map<UUID, List<String>> first = leftovers(cancelled);
    Map<UUID, List<String>> left = first;
    if (!first.isEmpty()) {
      // why: a straggler run's objects are removed when its late event arrives; give that a moment
      Os.sleep(Duration.ofSeconds(10));
      left = leftovers(cancelled.stream().filter(j -> first.containsKey(j.id)).toList());
    }
    Map<UUID, Tracked> byId =
        jobs.stream().collect(Collectors.toMap(j -> j.id, Function.identity()));
    left.forEach(
        (id, keys) -> report.add(Check.CANCELLED_OBJECTS, keys + " of cancelled " + byId.get(id)));
  }

  private Map<UUID, List<String>> leftovers(List<Tracked> cancelled) {
    Map<UUID, List<String>> left = new LinkedHashMap<>();
    for (Tracked job : cancelled) {
      List<String> keys = bucket.keys("artifacts/" + job.id + "/");
      if (!keys.isEmpty()) {
        left.put(job.id, keys);
      }
    }
    return left;
  }

  private void checkArtifacts(Tracked job, JobRow row) throws IOException {
    Duration giveUp = Duration.ofSeconds(60);
    GoodClient.Answer list = client.get("/api/v1/jobs/" + job.id + "/artifacts", 0, giveUp);
    if (list.status() != 200) {
      report.add(
          Check.ARTIFACTS,
          "GET artifacts answered " + list.status() + " " + list.body() + " for " + job);
      return;
    }
    JsonNode items = KilnJson.mapper().readTree(list.body()).path("items");
    PlannedJob plan = job.plan;
    boolean found = false;
    for (JsonNode item : items) {
      String name = item.path("name").asText();
      long size = item.path("size").asLong();
      String sha256 = item.path("sha256").asText();
      if (name.equals("synthetic.bin") && size == plan.artifactBytes()) {
        found = true;
      }
      if (row.status().equals("cancelled")) {
        report.add(Check.ARTIFACTS, "cancelled " + job + " still lists artifact " + item);
      }
      GoodClient.Answer redirect =
          client.get("/api/v1/jobs/" + job.id + "/artifacts/" + name, 0, giveUp);
      String location = redirect.header("Location");
      if (redirect.status() != 302 || location == null) {
        report.add(
            Check.ARTIFACTS,
            "GET artifact "
                + name
                + " answered "
                + redirect.status()
                + " "
                + redirect.body()
                + " for "
                + job);
        continue;
      }
      SyntheticArtifact.Download download = SyntheticArtifact.fetch(URI.create(location));
      if (download.status() != 200
          || download.size() != size
          || !download.sha256().equals(sha256)
          || download.firstPatternMismatch() >= 0) {
        report.add(
            Check.ARTIFACTS,
            "artifact "
                + name
                + " listed with "
                + size
                + " bytes sha256 "
                + sha256
                + " downloaded as "
                + download
                + " for "
                + job);
      }
    }
    if (plan.expectsArtifact() && !found && row.status().equals("succeeded")) {
      report.add(
          Check.ARTIFACTS,
          "no synthetic.bin of " + plan.artifactBytes() + " bytes in " + items + " for " + job);
    }
  }

  /** Lists a bucket prefix; how is up to the caller (the suite uses a MinIO client). */
  interface BucketView {
    List<String> keys(String prefix);
  }
}
