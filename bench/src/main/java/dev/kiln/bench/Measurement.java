package dev.kiln.bench;

/**
 * One row of the results table that {@code ./kiln bench} prints and writes to docs/benchmarks.md.
 *
 * @param name what was measured, e.g. "end to end, single submit"
 * @param value the figure, in {@code unit}
 * @param unit e.g. "jobs/s", "ms", "clients", "KB"
 * @param target the target as text, e.g. "≥ 2,500 jobs/s", or "" when it has none
 * @param met whether the target was met; null when there is no target
 * @param note how it was measured or why it missed, one sentence
 */
public record Measurement(
    String name, double value, String unit, String target, Boolean met, String note) {

  public static Measurement atLeast(
      String name, double value, String unit, double goal, String note) {
    return new Measurement(name, value, unit, "≥ " + (long) goal + " " + unit, value >= goal, note);
  }

  public static Measurement atMost(
      String name, double value, String unit, double goal, String note) {
    return new Measurement(name, value, unit, "≤ " + (long) goal + " " + unit, value <= goal, note);
  }

  public static Measurement info(String name, double value, String unit, String note) {
    return new Measurement(name, value, unit, "", null, note);
  }
}
