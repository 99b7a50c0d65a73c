package dev.kiln.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The machine a run measured, as the results must say: every figure is relative to it.
 *
 * @param cpu CPU model
 * @param cpus logical CPUs
 * @param memory total memory, e.g. "23.4 GiB"
 * @param os e.g. "Debian GNU/Linux 12 (bookworm)"
 * @param kernel e.g. "6.1.0-18-amd64"
 * @param jdk the bench's JDK (the platform's, under ./kiln)
 * @param postgres the database server's version() text
 * @param rabbitmq the broker's product and version
 */
public record MachineDescription(
    String cpu,
    int cpus,
    String memory,
    String os,
    String kernel,
    String jdk,
    String postgres,
    String rabbitmq) {

  /** Reads this machine's description; the two servers' versions come from the caller. */
  public static MachineDescription probe(String postgres, String rabbitmq) {
    String cpuinfo = read("/proc/cpuinfo");
    return new MachineDescription(
        cpuModel(cpuinfo),
        cpuCount(cpuinfo),
        memory(read("/proc/meminfo")),
        osName(read("/etc/os-release")),
        read("/proc/sys/kernel/osrelease").strip(),
        System.getProperty("java.vm.vendor", "?")
            + " "
            + System.getProperty("java.runtime.name", "Java")
            + " "
            + System.getProperty("java.runtime.version", "?"),
        postgres,
        rabbitmq);
  }

  /** The description as lines, e.g. "CPU: 2 × AMD EPYC 7B13". */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("CPU: " + cpus + " × " + cpu);
    lines.add("Memory: " + memory);
    lines.add("OS: " + os + ", kernel " + kernel);
    lines.add("JDK: " + jdk);
    lines.add("PostgreSQL: " + postgres);
    lines.add("RabbitMQ: " + rabbitmq);
    return lines;
  }

  static String cpuModel(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).strip();
      }
    }
    return "unknown CPU";
  }

  static int cpuCount(String cpuinfo) {
    int n = 0;
    for (String line : cpuinfo.split("\n")) {
      if (line.startsWith("processor")) {
        n++;
      }
    }
    return n > 0 ? n : Runtime.getRuntime().availableProcessors();
  }

  static String memory(String meminfo) {
    for (String line : meminfo.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring(9).strip().split("\\s+");
        double kib = Double.parseDouble(parts[0]);
        return String.format(Locale.ROOT, "%.1f GiB", kib / (1024 * 1024));
      }
    }
    return "unknown";
  }

  static String osName(String osRelease) {
    for (String line : osRelease.split("\n")) {
      if (line.startsWith("PRETTY_NAME=")) {
        return line.substring(12).replace("\"", "").strip();
      }
    }
    return System.getProperty("os.name", "unknown");
  }

  private static String read(String path) {
    try {
      return Files.readString(Path.of(path));
    } catch (IOException e) {
      return "";
    }
  }
}
