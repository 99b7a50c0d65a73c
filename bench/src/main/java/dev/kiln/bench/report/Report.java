package dev.kiln.bench.report;

import dev.kiln.bench.Measurement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A run's results with what they depend on: when, which commit, which command, which machine. */
public final class Report {

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  /**
   * @param at when the run started
   * @param commit the measured commit, e.g. "b755b98", or "unknown"
   * @param command how the run was started, e.g. "./kiln bench --duration 60"
   * @param machine where
   * @param loadAtStart the machine's load averages when the run started, e.g. "0.42 0.60 0.71";
   *     why: the platform and the bench share the machine with whatever else runs on it, and a busy
   *     machine explains figures that a quiet one would not give
   */
  public record Run(
      Instant at, String commit, String command, MachineDescription machine, String loadAtStart) {

    List<String> machineLines() {
      List<String> lines = new ArrayList<>(machine.lines());
      lines.add("Load average (1, 5, 15 min) when the run started: " + loadAtStart);
      return lines;
    }
  }

  /** The 1-, 5- and 15-minute load averages from /proc/loadavg, or "unknown". */
  public static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private Report() {}

  /** The block that goes between the markers of docs/benchmarks.md. */
  public static String markdown(Run run, List<Measurement> rows, List<String> ratios) {
    StringBuilder out = new StringBuilder();
    out.append("<!-- written by ./kiln bench; it replaces this block on every run -->\n");
    out.append("Run on ")
        .append(WHEN.format(run.at()))
        .append(" at commit `")
        .append(run.commit())
        .append("` with `")
        .append(run.command())
        .append("`.\n\n");
    out.append("Machine (everything, the load generator included, shares it):\n\n");
    run.machineLines().forEach(l -> out.append("- ").append(l).append('\n'));
    out.append('\n').append(ResultTable.markdown(rows));
    if (!ratios.isEmpty()) {
      out.append("\nKiln end to end against the baselines of the same run:\n\n");
      ratios.forEach(r -> out.append("- ").append(r).append('\n'));
    }
    return out.toString();
  }

  /** The same for the terminal. */
  public static String text(Run run, List<Measurement> rows, List<String> ratios) {
    StringBuilder out = new StringBuilder("\n");
    out.append(WHEN.format(run.at()))
        .append(", commit ")
        .append(run.commit())
        .append(", ")
        .append(run.command())
        .append('\n');
    run.machineLines().forEach(l -> out.append("  ").append(l).append('\n'));
    out.append('\n').append(ResultTable.text(rows));
    if (!ratios.isEmpty()) {
      out.append('\n');
      ratios.forEach(r -> out.append(r).append('\n'));
    }
    return out.toString();
  }

  /**
   * The short commit of the repository at {@code dir}, marked when files other than the results
   * page differ from it (the figures then belong to no commit); "unknown" without git.
   */
  public static String commit(Path dir) {
    String head = git(dir, "rev-parse", "--short", "HEAD");
    if (head == null || head.isBlank()) {
      return "unknown";
    }
    String changes =
        git(
            dir,
            "status",
            "--porcelain",
            "--untracked-files=no",
            "--",
            ":/",
            ":(top,exclude)docs/benchmarks.md");
    return head.strip() + (changes != null && !changes.isBlank() ? " + uncommitted changes" : "");
  }

  private static String git(Path dir, String... args) {
    String[] command = new String[args.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = dir.toString();
    System.arraycopy(args, 0, command, 3, args.length);
    try {
      Process p =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroy();
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
