package dev.kiln.systemtest;

import java.util.Set;
import java.util.TreeSet;

/** The metric families a Prometheus text exposition (a scrape of {@code /q/metrics}) contains. */
public final class ExposedMetrics {

  private ExposedMetrics() {}

  /**
   * Every family with at least one sample, histogram series folded into their histogram as {@link
   * PromQlMetricNames#family} does. Families declared by {@code # TYPE} without a sample do not
   * count: a query of them would find nothing.
   */
  public static Set<String> families(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      String sample = line.strip();
      if (sample.isEmpty() || sample.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < sample.length() && sample.charAt(end) != '{' && sample.charAt(end) != ' ') {
        end++;
      }
      names.add(PromQlMetricNames.family(sample.substring(0, end)));
    }
    return names;
  }
}
