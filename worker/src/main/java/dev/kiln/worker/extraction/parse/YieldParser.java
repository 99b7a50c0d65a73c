package dev.kiln.worker.extraction.parse;

import dev.kiln.model.extraction.RecipeDocument.Yields;
import java.util.List;

/**
 * Yields from {@code recipeYield} values: a number ("4"), a text ("12 cookies", "Serves 4-6") or
 * several of those ({@code ["4", "4 servings"]}).
 */
public final class YieldParser {

  private YieldParser() {}

  /**
   * The servings come from the first value (pages list the plain count first and a worded variant
   * after it); for a range the upper end counts ("4 to 6 servings" serves up to 6). The text is the
   * first value that has words, else the first value.
   *
   * @return null when there are no values
   */
  public static Yields parse(List<String> values) {
    String first = null;
    String worded = null;
    for (String value : values) {
      String text = TextCleaner.clean(value);
      if (text == null) {
        continue;
      }
      if (first == null) {
        first = text;
      }
      if (worded == null && text.codePoints().anyMatch(Character::isLetter)) {
        worded = text;
      }
    }
    if (first == null) {
      return null;
    }
    Amounts.Leading number = Amounts.first(first);
    Integer servings = number == null ? null : (int) Math.round(number.max());
    return new Yields(
        servings == null || servings <= 0 ? null : servings, worded != null ? worded : first);
  }
}
