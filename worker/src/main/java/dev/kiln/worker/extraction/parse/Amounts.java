package dev.kiln.worker.extraction.parse;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the quantity at the start of an ingredient line: integers, decimals with point or comma,
 * fractions (1/2, 1⁄2, ½), mixed numbers (1 1/2, 1½) and ranges (2-3, 2–3, "2 to 3", "2 bis 3").
 */
public final class Amounts {

  /**
   * A quantity found at the start of a text.
   *
   * @param min lower end
   * @param max upper end, equal to min for a single number
   * @param end index in the text just after the quantity
   */
  public record Leading(double min, double max, int end) {}

  private static final Map<Character, Double> VULGAR =
      Map.ofEntries(
          Map.entry('½', 1 / 2.0),
          Map.entry('⅓', 1 / 3.0),
          Map.entry('⅔', 2 / 3.0),
          Map.entry('¼', 1 / 4.0),
          Map.entry('¾', 3 / 4.0),
          Map.entry('⅕', 1 / 5.0),
          Map.entry('⅖', 2 / 5.0),
          Map.entry('⅗', 3 / 5.0),
          Map.entry('⅘', 4 / 5.0),
          Map.entry('⅙', 1 / 6.0),
          Map.entry('⅚', 5 / 6.0),
          Map.entry('⅐', 1 / 7.0),
          Map.entry('⅛', 1 / 8.0),
          Map.entry('⅜', 3 / 8.0),
          Map.entry('⅝', 5 / 8.0),
          Map.entry('⅞', 7 / 8.0),
          Map.entry('⅑', 1 / 9.0),
          Map.entry('⅒', 1 / 10.0));

  private static final String V = "[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒]";
  private static final String FRACTION = "\\d{1,3}\\s*[/⁄]\\s*\\d{1,3}";
  // a mixed number, a fraction, a vulgar fraction or a decimal; most specific first
  private static final String NUMBER =
      "(?:\\d{1,4}\\s*"
          + V
          + "|\\d{1,4}(?:\\s+|-)"
          + FRACTION
          + "|"
          + FRACTION
          + "|"
          + V
          + "|\\d{1,6}(?:[.,]\\d{1,3})?)";
  private static final Pattern LEADING =
      Pattern.compile(
          "^\\s*(?:(?:about|approx\\.?|ca\\.?|circa|etwa|environ|ongeveer|env\\.)\\s+)?("
              + NUMBER
              + ")(?:\\s*(?:-|–|—|~|\\s(?:to|or|bis|à|a|tot|till|til)\\s)\\s*("
              + NUMBER
              + "))?(?![\\d/⁄])",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern ANY_NUMBER = Pattern.compile(NUMBER);

  private Amounts() {}

  /** The quantity at the start of {@code text}, or null when it does not start with one. */
  public static Leading leading(String text) {
    Matcher m = LEADING.matcher(text);
    if (!m.find()) {
      return null;
    }
    double min = value(m.group(1));
    if (m.group(2) == null) {
      return new Leading(min, min, m.end());
    }
    double max = value(m.group(2));
    if (max < min && max < 1 && m.group(0).contains("-")) {
      // "1-1/2" is a mixed number written with a hyphen, not a range
      return new Leading(min + max, min + max, m.end());
    }
    return new Leading(Math.min(min, max), Math.max(min, max), m.end());
  }

  /**
   * The first number in a text and, when it starts a range, the range's upper end: "Serves 4-6"
   * gives {4, 6}. Null when there is no number.
   */
  public static Leading first(String text) {
    Matcher any = ANY_NUMBER.matcher(text);
    if (!any.find()) {
      return null;
    }
    Leading leading = leading(text.substring(any.start()));
    return leading == null
        ? null
        : new Leading(leading.min(), leading.max(), any.start() + leading.end());
  }

  /** Parses one number as matched by this class: "1 1/2", "1½", "0,5", "¾", "3⁄4". */
  static double value(String number) {
    String s = number.strip();
    char last = s.charAt(s.length() - 1);
    if (VULGAR.containsKey(last)) {
      String whole = s.substring(0, s.length() - 1).strip();
      return (whole.isEmpty() ? 0 : Integer.parseInt(whole)) + VULGAR.get(last);
    }
    int slash = Math.max(s.indexOf('/'), s.indexOf('⁄'));
    if (slash > 0) {
      String left = s.substring(0, slash).strip();
      double denominator = Integer.parseInt(s.substring(slash + 1).strip());
      String[] parts = left.split("[\\s-]+");
      double whole = parts.length > 1 ? Integer.parseInt(parts[0]) : 0;
      double numerator = Integer.parseInt(parts[parts.length - 1]);
      return denominator == 0 ? whole : whole + numerator / denominator;
    }
    return Double.parseDouble(s.replace(',', '.'));
  }
}
