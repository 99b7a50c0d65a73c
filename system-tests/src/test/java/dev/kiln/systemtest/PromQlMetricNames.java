package dev.kiln.systemtest;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, as written in Kiln's dashboards and alert rules (with
 * Grafana's {@code $variables}). Not a PromQL parser: it removes everything that can hold a word
 * but is not a metric name (strings, label matchers, ranges, grouping label lists, functions,
 * keywords, numbers and durations) and keeps the words left.
 *
 * <p>The series of a histogram ({@code x_bucket}, {@code x_count}, {@code x_sum}) count as the
 * histogram {@code x}; {@link #family} applies the same rule to exposed names, so the two compare.
 */
public final class PromQlMetricNames {

  private static final Pattern STRING =
      Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  // why the look-behind: the unit of 5m or the exponent of 1e3 is not a name
  private static final Pattern WORD = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "inf",
          "nan",
          "Inf",
          "NaN");
  private static final Pattern HISTOGRAM_SERIES = Pattern.compile("(.+)_(?:bucket|count|sum)$");

  private PromQlMetricNames() {}

  /** The metric families {@code expr} reads, histogram series folded into their histogram. */
  public static Set<String> of(String expr) {
    String rest = STRING.matcher(expr).replaceAll(" ");
    rest = GRAFANA_VARIABLE.matcher(rest).replaceAll("1");
    rest = LABEL_MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGE.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher word = WORD.matcher(rest);
    while (word.find()) {
      String name = word.group();
      if (!KEYWORDS.contains(name) && !calledAsFunction(rest, word.end())) {
        names.add(family(name));
      }
    }
    return names;
  }

  /**
   * The family an exposed or queried series name belongs to: {@code x} for {@code x_bucket}, {@code
   * x_count} and {@code x_sum}, the name itself otherwise.
   */
  public static String family(String name) {
    Matcher m = HISTOGRAM_SERIES.matcher(name);
    return m.matches() ? m.group(1) : name;
  }

  /** A word followed by "(" is a function or an aggregation, e.g. rate( or sum (. */
  private static boolean calledAsFunction(String text, int end) {
    int i = end;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i < text.length() && text.charAt(i) == '(';
  }
}
