package dev.kiln.model.extraction;

/**
 * One ingredient line of a recipe, as printed and as understood.
 *
 * @param raw the line as printed on the page: entities decoded, whitespace collapsed
 * @param amount the quantity at the start of the line, or null when the line has none ("salt to
 *     taste")
 * @param unit canonical unit name ("gram", "tablespoon", "clove", ...), or null when there is no
 *     recognised unit
 * @param food what the line is about, without amount, unit and note
 * @param note text in parentheses or after the first comma, or null
 */
public record Ingredient(String raw, Amount amount, String unit, String food, String note) {

  /**
   * A quantity; a single number has {@code min == max}, a range ("2-3", "2 to 3") has both ends.
   *
   * @param min the lower end
   * @param max the upper end, equal to {@code min} for a single number
   */
  public record Amount(double min, double max) {

    public static Amount of(double value) {
      return new Amount(value, value);
    }
  }
}
