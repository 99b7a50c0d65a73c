package dev.kiln.worker.extraction.page;

import dev.kiln.worker.extraction.parse.Durations;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;

/**
 * Yields and times as a page shows them in its text ("Serves 4", "Prep time: 15 mins"), for recipes
 * whose structured data leaves them out.
 */
public final class PageFacts {

  private static final Pattern SERVES =
      Pattern.compile(
          "(?i)\\b(?:serves|servings?|yields?|makes|portions?|portionen|porzioni|porciones"
              + "|porções|porce|porcí|porcje|portioner|personen|persons?|people|personnes|couverts"
              + "|personas|persone|pessoas|osob|pour|für|voor)\\b");
  private static final String SEP = "\\s*[:：]?\\s*";
  private static final Pattern PREP =
      Pattern.compile(
          "(?iu)^(?:prep(?:aration)?(?: time)?|active time|vorbereitung(?:szeit)?|arbeitszeit"
              + "|zubereitungszeit|temps de préparation|préparation|voorbereiding(?:stijd)?"
              + "|tiempo de preparación|tempo di preparazione|forberedelse)"
              + SEP);
  private static final Pattern COOK =
      Pattern.compile(
          "(?iu)^(?:cook(?:ing)? time|bak(?:e|ing) time|kochzeit|backzeit|garzeit"
              + "|temps de cuisson|cuisson|kooktijd|baktijd|oventijd|tiempo de cocción"
              + "|tempo di cottura|tilberedning)"
              + SEP);
  private static final Pattern TOTAL =
      Pattern.compile(
          "(?iu)^(?:total(?: time)?|ready in|gesamtzeit|zeit gesamt|temps total|totale tijd"
              + "|bereidingstijd|tiempo total|tempo totale|tid i alt|total tid)"
              + SEP);
  private static final Pattern DURATION_START = Pattern.compile("^\\d");
  private static final int MAX_LINE = 60;

  private PageFacts() {}

  /**
   * Times from labelled page lines, "Label: value" or the label on one line and the value on the
   * next; the value must start with a number, so a step such as "Cook for 10 minutes" is no time.
   *
   * @return {prep, cook, total} as given on the page, each null when not shown
   */
  public static String[] times(Document document) {
    String[] times = new String[3];
    if (document.body() == null) {
      return times;
    }
    List<HtmlText.Line> lines = HtmlText.lines(document.body(), true);
    Pattern[] labels = {PREP, COOK, TOTAL};
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).text();
      if (text.length() > MAX_LINE) {
        continue;
      }
      for (int k = 0; k < labels.length; k++) {
        Matcher m = labels[k].matcher(text);
        if (times[k] != null || !m.find()) {
          continue;
        }
        String value = text.substring(m.end()).strip();
        if (value.isEmpty() && i + 1 < lines.size()) {
          value = lines.get(i + 1).text();
        }
        if (value.length() <= 30
            && DURATION_START.matcher(value).find()
            && Durations.minutes(value) != null
            && !value.matches("\\d+")) {
          times[k] = value;
        }
        break;
      }
    }
    return times;
  }

  /** A short visible line that states servings ("Serves: 4", "Für 4 Personen"), or null. */
  public static String yields(Document document) {
    if (document.body() == null) {
      return null;
    }
    for (HtmlText.Line line : HtmlText.lines(document.body(), true)) {
      String text = line.text();
      if (text.length() <= 40
          && SERVES.matcher(text).find()
          && text.chars().anyMatch(Character::isDigit)) {
        return text;
      }
    }
    return null;
  }
}
