package dev.kiln.bench.sse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How many more sockets a process may open: its soft {@code RLIMIT_NOFILE} minus the descriptors it
 * has open, from /proc. why: every SSE client is a socket in the gateway and one in this bench; a
 * run that asks for more than either may hold measures the limit, not the gateway.
 */
final class FdHeadroom {

  /** why: descriptors either process opens meanwhile (jars, database and broker connections). */
  private static final int MARGIN = 64;

  private FdHeadroom() {}

  static long of(String pid) throws IOException {
    long limit = Long.MAX_VALUE;
    for (String line : Files.readAllLines(Path.of("/proc", pid, "limits"))) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        limit = soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
      }
    }
    try (Stream<Path> open = Files.list(Path.of("/proc", pid, "fd"))) {
      return limit - open.count() - MARGIN;
    }
  }
}
