package dev.kiln.worker.extraction.parse;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in whole minutes from ISO 8601 ("PT1H30M", "P0DT2H", "PT90M") including the sloppy
 * forms pages publish ("PT1H30M0S", "pt20m", "P1DT2H", "PT0H45M0S", "PT1.5H"), and from plain text
 * ("1 hour 10 minutes", "1 Std. 10 Min.", "45 min", "1h30").
 */
public final class Durations {

  private static final String N = "(\\d+(?:[.,]\\d+)?)";
  private static final Pattern ISO =
      Pattern.compile(
          "P(?:"
              + N
              + "Y)?(?:"
              + N
              + "M)?(?:"
              + N
              + "W)?(?:"
              + N
              + "D)?"
              + "(?:T?(?:"
              + N
              + "H)?(?:"
              + N
              + "M)?(?:"
              + N
              + "S)?)?");
  private static final Pattern TEXT_PART =
      Pattern.compile(
          N
              + "\\s*(d|days?|tage?n?|jours?|dagen?|dage|dygn"
              + "|h|hrs?|hours?|std|stunden?|heures?|uur|uren|timer?|timmar|tim"
              + "|m|mins?|minutes?|minuten?|minutter|minuter"
              + "|s|secs?|seconds?|sekunden?|secondes?|seconden)\\b\\.?",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern COMPACT = Pattern.compile("(\\d+)\\s*h\\s*(\\d{1,2})(?!\\d)");
  private static final Pattern PLAIN_NUMBER = Pattern.compile("\\d{1,4}");

  private Durations() {}

  /** Minutes, or null when the text holds no duration. */
  public static Integer minutes(String text) {
    if (text == null) {
      return null;
    }
    String s = text.strip().toUpperCase(Locale.ROOT).replace(" ", "");
    if (s.startsWith("P")) {
      Matcher iso = ISO.matcher(s);
      if (iso.matches()) {
        return fromIso(iso);
      }
    }
    return fromText(text.strip());
  }

  private static Integer fromIso(Matcher m) {
    boolean any = false;
    for (int g = 1; g <= 7; g++) {
      any |= m.group(g) != null;
    }
    if (!any) {
      return null;
    }
    boolean hasTime = m.group(0).contains("T");
    double minutes =
        num(m.group(3)) * 7 * 24 * 60
            + num(m.group(4)) * 24 * 60
            + num(m.group(5)) * 60
            + num(m.group(6))
            + num(m.group(7)) / 60.0;
    // why: "P30M" without the T is meant as thirty minutes, not thirty months, on a recipe
    if (!hasTime) {
      minutes += num(m.group(2));
    }
    return (int) Math.round(minutes);
  }

  private static Integer fromText(String text) {
    Matcher compact = COMPACT.matcher(text);
    if (compact.find()) {
      return Integer.parseInt(compact.group(1)) * 60 + Integer.parseInt(compact.group(2));
    }
    Matcher m = TEXT_PART.matcher(text);
    double minutes = 0;
    boolean found = false;
    while (m.find()) {
      minutes += num(m.group(1)) * factor(m.group(2).toLowerCase(Locale.ROOT));
      found = true;
    }
    if (found) {
      return (int) Math.round(minutes);
    }
    String plain = text.strip();
    return PLAIN_NUMBER.matcher(plain).matches() ? Integer.valueOf(plain) : null;
  }

  /** Minutes per unit word, in the languages of {@link #TEXT_PART}. */
  private static double factor(String word) {
    if (word.startsWith("st")
        || word.startsWith("h")
        || word.startsWith("u")
        || word.startsWith("tim")) {
      return 60;
    }
    if (word.startsWith("d") || word.startsWith("tag") || word.startsWith("j")) {
      return 24 * 60;
    }
    return word.startsWith("m") ? 1 : 1 / 60.0;
  }

  private static double num(String s) {
    return s == null ? 0 : Double.parseDouble(s.replace(',', '.'));
  }
}
