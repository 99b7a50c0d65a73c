package dev.kiln.worker.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.extraction.Ingredient;
import dev.kiln.model.extraction.RecipeDocument;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.parser.Parser;

/**
 * The corpus scoring rule of {@code recipes/README.md}: which counted fields of a {@link
 * RecipeDocument} match a page's {@code expected.json}. Shared by {@link CorpusScorer} and system
 * tests that score real jobs.
 */
public final class CorpusScoring {

  /** Counted fields, by their key in {@code expected.json}. */
  public static final List<String> FIELDS =
      List.of("title", "ingredients", "instructions_list", "yields", "total_time");

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private CorpusScoring() {}

  /**
   * The comparison of one field.
   *
   * @param field key in expected.json
   * @param counted false when expected.json has no value for it (yields, total_time), so it is
   *     skipped
   * @param matched whether it matches (false when not counted)
   * @param expected the expected value, normalised, for reports
   * @param actual our value, normalised, for reports
   */
  public record FieldResult(
      String field, boolean counted, boolean matched, Object expected, Object actual) {}

  /** Results for every field of {@link #FIELDS}, in that order; {@code document} may be null. */
  public static List<FieldResult> score(RecipeDocument document, JsonNode expected) {
    List<FieldResult> results = new ArrayList<>();
    results.add(text("title", document == null ? null : document.title(), expected));
    results.add(
        list(
            "ingredients",
            document == null
                ? List.of()
                : document.ingredients().stream().map(Ingredient::raw).toList(),
            expected));
    results.add(
        list(
            "instructions_list",
            document == null ? List.of() : instructionsList(document),
            expected));
    results.add(
        number(
            "yields",
            document == null || document.yields() == null ? null : document.yields().servings(),
            expected));
    results.add(
        number("total_time", document == null ? null : document.times().totalMinutes(), expected));
    return results;
  }

  /**
   * The steps as a reader sees them listed: a section's title before its first step, a step's own
   * title before its text.
   */
  public static List<String> instructionsList(RecipeDocument document) {
    List<String> out = new ArrayList<>();
    String section = null;
    for (RecipeDocument.Step step : document.instructions()) {
      if (step.section() != null && !step.section().equals(section)) {
        out.add(step.section());
      }
      section = step.section();
      if (step.title() != null) {
        out.add(step.title());
      }
      out.add(step.text());
    }
    return out;
  }

  /** NFKC, entities decoded, whitespace collapsed, trimmed, lower case. */
  public static String normalise(String text) {
    if (text == null) {
      return null;
    }
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
    s = Parser.unescapeEntities(s, false);
    s = s.replaceAll("[\\s\\u00a0\\u2000-\\u200a\\u202f\\u205f\\u3000]+", " ").strip();
    return s.toLowerCase(Locale.ROOT);
  }

  /** The first whole number of a yields text ("8 servings" gives 8), or null. */
  public static Integer leadingNumber(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = NUMBER.matcher(text);
    return m.find() ? Integer.valueOf(m.group()) : null;
  }

  private static FieldResult text(String field, String actual, JsonNode expected) {
    JsonNode value = expected.get(field);
    if (value == null || value.isNull()) {
      return new FieldResult(field, false, false, null, normalise(actual));
    }
    String want = normalise(value.asText());
    String got = normalise(actual);
    return new FieldResult(field, true, Objects.equals(want, got), want, got);
  }

  private static FieldResult list(String field, List<String> actual, JsonNode expected) {
    JsonNode value = expected.get(field);
    if (value == null || value.isNull()) {
      return new FieldResult(field, false, false, null, actual);
    }
    List<String> want = new ArrayList<>();
    value.forEach(item -> want.add(normalise(item.asText())));
    List<String> got = actual.stream().map(CorpusScoring::normalise).toList();
    return new FieldResult(field, true, want.equals(got), want, got);
  }

  private static FieldResult number(String field, Integer actual, JsonNode expected) {
    JsonNode value = expected.get(field);
    if (value == null || value.isNull()) {
      return new FieldResult(field, false, false, null, actual);
    }
    Integer want =
        value.isNumber() ? Integer.valueOf(value.asInt()) : leadingNumber(value.asText());
    return new FieldResult(field, true, Objects.equals(want, actual), want, actual);
  }
}
