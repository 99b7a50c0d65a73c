package dev.kiln.bench.sse;

import dev.kiln.bench.BenchTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's live heap, read with {@code jcmd <pid> GC.class_histogram}: the histogram runs a
 * full GC first, so its total is the bytes reachable at that moment, not whatever garbage the last
 * young collection left. why per class: the difference of two histograms says which objects a
 * client costs, which is what a fix needs.
 */
final class GatewayHeap {

  /** Live bytes and instances per class, and their totals under {@code "Total"}. */
  record Histogram(Map<String, long[]> classes) {
    long totalBytes() {
      return classes.getOrDefault("Total", new long[2])[1];
    }
  }

  private GatewayHeap() {}

  static long pid(BenchTarget target) throws IOException {
    return Long.parseLong(
        Files.readString(target.stateDir().resolve("run").resolve("gateway.pid")).trim());
  }

  /**
   * CPU time the process has used, in milliseconds, from /proc (clock ticks of 10 ms). why: the
   * gateway's CPU per delivered frame compares builds even on a machine whose load makes latency
   * figures noisy.
   */
  static long cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields 14 and 15 of stat (utime, stime); f[0] is field 3
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  static Histogram histogram(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("jcmd failed: " + out);
    }
    Map<String, long[]> classes = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        classes.merge(
            f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])}, GatewayHeap::add);
      } else if (f.length == 3 && f[0].equals("Total")) {
        classes.put("Total", new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
      }
    }
    return new Histogram(classes);
  }

  private static long[] add(long[] a, long[] b) {
    return new long[] {a[0] + b[0], a[1] + b[1]};
  }

  /** The classes that grew most between two histograms, per client, as printable lines. */
  static String topGrowth(Histogram before, Histogram after, int clients, int top) {
    StringBuilder out = new StringBuilder();
    after.classes().entrySet().stream()
        .filter(e -> !e.getKey().equals("Total"))
        .map(
            e -> {
              long[] b = before.classes().getOrDefault(e.getKey(), new long[2]);
              return Map.entry(
                  e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
            })
        .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
        .limit(top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        "  %8.1f B/client %6.2f obj/client  %s%n",
                        (double) e.getValue()[1] / clients,
                        (double) e.getValue()[0] / clients,
                        e.getKey())));
    return out.toString();
  }
}
