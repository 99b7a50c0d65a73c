package dev.kiln.bench;

import dev.kiln.bench.baseline.Baselines;
import dev.kiln.bench.baseline.KilnTables;
import dev.kiln.bench.endtoend.EndToEndBench;
import dev.kiln.bench.report.BenchmarksDoc;
import dev.kiln.bench.report.MachineDescription;
import dev.kiln.bench.report.Ratios;
import dev.kiln.bench.report.Report;
import dev.kiln.bench.report.ResultTable;
import dev.kiln.bench.sse.RelayLatency;
import dev.kiln.bench.sse.SseCapacity;
import dev.kiln.bench.submit.SubmitBench;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./kiln bench}: runs the benchmark sections against a running platform, prints the table
 * and the machine, and writes them to docs/benchmarks.md.
 *
 * <p>Usage: {@code BenchSuite [--only baselines,submit,e2e] [--duration 60] [--no-write] [--gateway
 * URL] [--state-dir DIR] [--docs FILE]}, the admin key in {@code KILN_API_KEY}. Each section
 * documents its own options.
 */
public final class BenchSuite {

  /** Options of the suite itself and of its sections, for the typo warning. */
  static final Set<String> OPTIONS =
      Set.of(
          "--only",
          "--duration",
          "--no-write",
          "--gateway",
          "--state-dir",
          "--docs",
          "--submit-rate",
          "--submit-seconds",
          "--concurrency",
          "--drain-timeout",
          "--batches-in-flight",
          "--max-backlog",
          "--paced-rate",
          "--idle-jobs",
          "--idle-gap-ms",
          "--baseline-seconds",
          "--pg-connections",
          "--pg-port",
          "--db",
          "--rabbit-port",
          // RelayLatency and SseCapacity
          "--clients",
          "--jobs",
          "--rate",
          "--seconds",
          "--sources",
          "--steps",
          "--warmup");

  /** Options that say where things are rather than what to measure; left out of the command. */
  private static final Set<String> PLUMBING = Set.of("--gateway", "--state-dir", "--docs");

  private BenchSuite() {}

  /**
   * The sections in the order they run; {@code --only} picks by these names.
   *
   * <p>why baselines first: they measure the broker and the database while the platform is idle,
   * before Kiln's own runs leave anything to drain.
   */
  static Map<String, Section> sections() {
    Map<String, Section> sections = new LinkedHashMap<>();
    sections.put("baselines", Baselines::run);
    sections.put("submit", SubmitBench::run);
    sections.put("e2e", EndToEndBench::run);
    sections.put("relay", RelayLatency::run);
    // why last: it opens up to 20,000 streams, and the platform needs a moment to shed them
    sections.put("sse", SseCapacity::run);
    return sections;
  }

  public static void main(String[] argv) throws Exception {
    try {
      System.exit(run(argv));
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(
          "usage: ./kiln bench [--only "
              + String.join(",", sections().keySet())
              + "] [--duration SECONDS] [--no-write] (options: docs/benchmarks.md)");
      System.exit(2);
    }
  }

  private static int run(String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    for (String name : args.names()) {
      if (!OPTIONS.contains(name)) {
        Progress.say(
            "note: %s is none of the suite's options; only a section reading it sees it", name);
      }
    }
    Map<String, Section> all = sections();
    List<String> only = args.list("--only");
    for (String name : only) {
      if (!all.containsKey(name)) {
        throw new IllegalArgumentException(
            "unknown section " + name + "; sections: " + String.join(",", all.keySet()));
      }
    }
    BenchTarget target =
        new BenchTarget(
            args.text("--gateway", "http://127.0.0.1:8080"),
            System.getenv("KILN_API_KEY"),
            Path.of(args.text("--state-dir", ".kiln")));
    Path docs = Path.of(args.text("--docs", "docs/benchmarks.md")).toAbsolutePath();
    Instant at = Instant.now();
    String load = Report.loadAverage();
    List<Measurement> rows = new ArrayList<>();
    boolean failed = false;
    int pgPort = args.integer("--pg-port", 5432);
    String database = args.text("--db", "kiln");
    // why: see KilnTables; with autovacuum on, PostgreSQL does this itself
    boolean vacuum = Boolean.FALSE.equals(KilnTables.autovacuum(pgPort, database));
    for (Map.Entry<String, Section> section : all.entrySet()) {
      if (!only.isEmpty() && !only.contains(section.getKey())) {
        continue;
      }
      Progress.say("section %s", section.getKey());
      if (vacuum) {
        Progress.say("  autovacuum is off: %s", KilnTables.vacuum(pgPort, database));
      }
      try {
        List<Measurement> result = section.getValue().run(target, argv);
        rows.addAll(result);
        result.forEach(
            m -> Progress.say("  %s: %s", m.name(), ResultTable.figure(m.value(), m.unit())));
      } catch (Exception e) {
        failed = true;
        e.printStackTrace();
        rows.add(Measurement.info(section.getKey() + " section", Double.NaN, "", "FAILED: " + e));
      }
    }
    MachineDescription machine =
        MachineDescription.probe(
            Baselines.postgresVersion(pgPort)
                + (vacuum
                    ? " (autovacuum off; the bench vacuumed Kiln's busiest tables before each"
                        + " section)"
                    : ""),
            Baselines.rabbitVersion(args.integer("--rabbit-port", 5672)));
    Report.Run run =
        new Report.Run(at, Report.commit(docs.getParent()), command(argv), machine, load);
    List<String> ratios =
        Ratios.lines(
            rows,
            List.of(EndToEndBench.SINGLE_RATE, EndToEndBench.BATCH_RATE),
            List.of(
                new Ratios.Base(Baselines.BROKER_RATE, "RabbitMQ"),
                new Ratios.Base(Baselines.PG_RATE, "PostgreSQL")));
    System.out.print(Report.text(run, rows, ratios));
    if (!args.flag("--no-write")) {
      String doc =
          Files.exists(docs) ? Files.readString(docs, StandardCharsets.UTF_8) : "# Benchmarks\n";
      Files.writeString(
          docs,
          BenchmarksDoc.withResults(doc, Report.markdown(run, rows, ratios)),
          StandardCharsets.UTF_8);
      Progress.say("results written to %s", docs);
    }
    return failed ? 1 : 0;
  }

  /** The command as the user typed it, without the options ./kiln adds itself. */
  static String command(String[] argv) {
    StringBuilder command = new StringBuilder("./kiln bench");
    for (int i = 0; i < argv.length; i++) {
      if (PLUMBING.contains(argv[i])) {
        i++;
        continue;
      }
      command.append(' ').append(argv[i]);
    }
    return command.toString();
  }
}
