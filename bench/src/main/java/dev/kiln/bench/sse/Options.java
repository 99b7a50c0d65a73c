package dev.kiln.bench.sse;

import dev.kiln.bench.BenchTarget;
import java.nio.file.Path;

/** {@code --name value} options of the SSE benches, and the target of a bench run alone. */
final class Options {

  private Options() {}

  static String get(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--" + name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  static int integer(String[] args, String name, int fallback) {
    return Integer.parseInt(get(args, name, Integer.toString(fallback)));
  }

  /** From {@code --gateway}, {@code --state-dir} and the admin key in KILN_API_KEY. */
  static BenchTarget target(String[] args) {
    String admin = System.getenv("KILN_API_KEY");
    if (admin == null || admin.isBlank()) {
      throw new IllegalStateException("set KILN_API_KEY to an admin key (./kiln bench does)");
    }
    return new BenchTarget(
        get(args, "gateway", "http://127.0.0.1:8080"),
        admin,
        Path.of(get(args, "state-dir", ".kiln")));
  }
}
