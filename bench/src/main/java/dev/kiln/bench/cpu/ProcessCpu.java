package dev.kiln.bench.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time used by each part of the local platform, read from {@code /proc}: the gateway, the
 * workers, PostgreSQL, RabbitMQ, S3Proxy and this load generator. Two snapshots around a run give
 * CPU-seconds per part, and divided by the jobs, the cost of a job in each; on a machine where
 * everything shares the same cores that says where the time goes better than any one profile.
 */
public final class ProcessCpu {

  /** How a process is recognised by its command line, in order; the first match names it. */
  private static final List<Map.Entry<String, String>> PARTS =
      List.of(
          Map.entry("gateway", "api-gateway/target/quarkus-app"),
          Map.entry("workers", "worker/target/quarkus-app"),
          Map.entry("s3proxy", "s3proxy"),
          Map.entry("rabbitmq", "beam.smp"),
          Map.entry("postgres", "postgres"),
          Map.entry("bench", "dev.kiln.bench"));

  private final Path proc;
  private final long ticksPerSecond;

  public ProcessCpu() {
    this(Path.of("/proc"), 100);
  }

  /**
   * @param ticksPerSecond the kernel's USER_HZ, 100 on Linux on x86 and arm
   */
  ProcessCpu(Path proc, long ticksPerSecond) {
    this.proc = proc;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** CPU-seconds used so far by each part that has a live process; empty off Linux. */
  public Map<String, Double> snapshot() {
    Map<String, Double> seconds = new TreeMap<>();
    if (!Files.isDirectory(proc)) {
      return seconds;
    }
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path pid : pids) {
        String part = partOf(commandLine(pid));
        if (part != null) {
          long ticks = ticks(pid);
          if (ticks >= 0) {
            seconds.merge(part, ticks / (double) ticksPerSecond, Double::sum);
          }
        }
      }
    } catch (IOException e) {
      return seconds;
    }
    return seconds;
  }

  /** What each part used between two snapshots; parts whose processes went away are left out. */
  public static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> used = new LinkedHashMap<>();
    after.forEach(
        (part, total) -> {
          Double earlier = before.get(part);
          if (earlier != null && total >= earlier) {
            used.put(part, total - earlier);
          }
        });
    return used;
  }

  static String partOf(String commandLine) {
    if (commandLine == null || commandLine.isEmpty()) {
      return null;
    }
    for (Map.Entry<String, String> part : PARTS) {
      if (commandLine.contains(part.getValue())) {
        return part.getKey();
      }
    }
    return null;
  }

  private static String commandLine(Path pid) {
    try {
      return new String(Files.readAllBytes(pid.resolve("cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** utime + stime from {@code stat}, or -1 when the process is gone. */
  private static long ticks(Path pid) {
    try {
      String stat = Files.readString(pid.resolve("stat"));
      // why after the last ')': the command name in parentheses may itself contain spaces
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
