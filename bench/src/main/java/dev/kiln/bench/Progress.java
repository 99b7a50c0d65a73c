package dev.kiln.bench;

import java.util.Locale;

/** What the suite is doing now, on stderr, so stdout keeps only the results. */
public final class Progress {

  private Progress() {}

  public static void say(String format, Object... values) {
    System.err.printf(Locale.ROOT, "bench: " + format + "%n", values);
  }
}
