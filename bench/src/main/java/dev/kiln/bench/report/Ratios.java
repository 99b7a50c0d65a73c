package dev.kiln.bench.report;

import dev.kiln.bench.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Kiln's end-to-end rates as fractions of the baselines of the same run, e.g. "Kiln = 0.12 × broker
 * msgs/s": the part of what the broker or the database alone can do that a job costs.
 */
public final class Ratios {

  private Ratios() {}

  /**
   * A baseline rate to relate Kiln's to.
   *
   * @param name the measurement's name
   * @param label what the line calls it, e.g. "RabbitMQ"
   */
  public record Base(String name, String label) {}

  /**
   * @param rows the run's results
   * @param kiln names of the Kiln rates to relate
   * @param baselines the baseline rates to relate them to
   * @return one line per Kiln rate that was measured, naming each measured baseline
   */
  public static List<String> lines(
      List<Measurement> rows, List<String> kiln, List<Base> baselines) {
    List<String> lines = new ArrayList<>();
    for (String k : kiln) {
      Optional<Measurement> rate = find(rows, k);
      if (rate.isEmpty()) {
        continue;
      }
      List<String> parts = new ArrayList<>();
      for (Base b : baselines) {
        find(rows, b.name())
            .filter(base -> base.value() > 0)
            .ifPresent(
                base ->
                    parts.add(
                        String.format(
                            Locale.ROOT,
                            "%s × %s's %s",
                            ratio(rate.get().value() / base.value()),
                            b.label(),
                            ResultTable.figure(base.value(), base.unit()))));
      }
      if (!parts.isEmpty()) {
        lines.add(
            rate.get().name()
                + ": "
                + ResultTable.figure(rate.get().value(), rate.get().unit())
                + " = "
                + String.join(" = ", parts));
      }
    }
    return lines;
  }

  /** Two significant digits: the run-to-run spread on a shared machine allows no more. */
  static String ratio(double r) {
    if (r == 0) {
      return "0";
    }
    int digits = Math.max(0, 1 - (int) Math.floor(Math.log10(Math.abs(r))));
    return String.format(Locale.ROOT, "%." + digits + "f", r);
  }

  private static Optional<Measurement> find(List<Measurement> rows, String name) {
    return rows.stream().filter(m -> m.name().equals(name) && !Double.isNaN(m.value())).findFirst();
  }
}
