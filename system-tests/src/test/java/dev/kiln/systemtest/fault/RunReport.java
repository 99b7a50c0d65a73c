package dev.kiln.systemtest.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What one fault run measured and every invariant violation it found. */
final class RunReport {

  /** What a finding breaks. */
  enum Check {
    LOST("1. not terminal by the deadline (lost)"),
    DUPLICATED("1. more than one end stored for the job or one of its attempts"),
    WRONG_STATE("1. terminal state other than the one its params asked for"),
    EVENT_ORDER("2. stored events with a gap or out of order"),
    SSE("3. SSE watcher did not get every stored event exactly once, in order"),
    ARTIFACTS("4. referenced artifact missing or with another checksum"),
    CANCELLED_OBJECTS("5. objects left under a cancelled job's artifacts prefix"),
    RESUME("worker SIGKILL: a killed run's job did not resume from its checkpoint"),
    CLIENT("client: a submission never accepted, or an answer a good client must not get");

    final String meaning;

    Check(String meaning) {
      this.meaning = meaning;
    }
  }

  static final int MAX_LISTED = 15;

  final String fault;
  int jobs;
  Duration recovery;
  double throughput;
  Duration e2eP50 = Duration.ZERO;
  Duration e2eP99 = Duration.ZERO;
  Duration submitP50 = Duration.ZERO;
  Duration submitP99 = Duration.ZERO;
  long retries;
  long sseReconnects;
  int watchers;
  Duration wallTime = Duration.ZERO;
  final List<String> notes = Collections.synchronizedList(new ArrayList<>());
  private final Map<Check, List<String>> findings = new EnumMap<>(Check.class);

  RunReport(String fault) {
    this.fault = fault;
  }

  synchronized void add(Check check, String finding) {
    findings.computeIfAbsent(check, c -> new ArrayList<>()).add(finding);
  }

  synchronized int count(Check check) {
    return findings.getOrDefault(check, List.of()).size();
  }

  synchronized boolean ok() {
    return findings.isEmpty();
  }

  int lost() {
    return count(Check.LOST);
  }

  int duplicated() {
    return count(Check.DUPLICATED);
  }

  int wrong() {
    return count(Check.WRONG_STATE);
  }

  synchronized String details() {
    StringBuilder out = new StringBuilder();
    out.append("=== ").append(fault).append(": ").append(summary()).append('\n');
    for (String note : notes) {
      out.append("  note: ").append(note).append('\n');
    }
    for (Map.Entry<Check, List<String>> e : findings.entrySet()) {
      List<String> all = e.getValue();
      out.append("  VIOLATION ").append(e.getKey()).append(" (").append(e.getKey().meaning);
      out.append("): ").append(all.size()).append('\n');
      for (String finding : all.subList(0, Math.min(MAX_LISTED, all.size()))) {
        out.append("    - ").append(finding.replace("\n", "\n      ")).append('\n');
      }
      if (all.size() > MAX_LISTED) {
        out.append("    … and ").append(all.size() - MAX_LISTED).append(" more\n");
      }
    }
    return out.toString();
  }

  String summary() {
    return String.format(
        Locale.ROOT,
        "%d jobs, %d lost, %d duplicated, %d wrong state, recovery %s, %.1f jobs/s,"
            + " end-to-end p50 %s p99 %s, submit p50 %s p99 %s, %d client retries,"
            + " %d SSE watchers with %d reconnects, %s",
        jobs,
        lost(),
        duplicated(),
        wrong(),
        seconds(recovery),
        throughput,
        seconds(e2eP50),
        seconds(e2eP99),
        millis(submitP50),
        millis(submitP99),
        retries,
        watchers,
        sseReconnects,
        ok() ? "all invariants held" : "INVARIANTS BROKEN");
  }

  /** One row of the docs table. */
  String tableRow() {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %d | %d | %s | %.1f jobs/s | %s / %s | %s / %s | %d | %s |",
        fault,
        jobs,
        lost(),
        duplicated(),
        wrong(),
        seconds(recovery),
        throughput,
        seconds(e2eP50),
        seconds(e2eP99),
        millis(submitP50),
        millis(submitP99),
        retries,
        ok() ? "held" : brokenChecks());
  }

  private synchronized String brokenChecks() {
    StringBuilder out = new StringBuilder("**broken:** ");
    findings.forEach(
        (check, list) -> out.append(check).append(' ').append(list.size()).append(", "));
    return out.substring(0, out.length() - 2);
  }

  static String tableHeader() {
    return "| Fault | Jobs | Lost | Duplicated | Wrong state | Time to recover | Throughput"
        + " | End-to-end p50 / p99 | Submit p50 / p99 | Client retries | Invariants |\n"
        + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |";
  }

  static String seconds(Duration d) {
    return d == null ? "n/a" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  static String millis(Duration d) {
    return d == null ? "n/a" : d.toMillis() + " ms";
  }

  /** The p-th percentile (0-100) of durations, nearest-rank. */
  static Duration percentile(List<Duration> values, double p) {
    if (values.isEmpty()) {
      return null;
    }
    List<Duration> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
