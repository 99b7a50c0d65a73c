package dev.kiln.worker.extraction.parse;

import dev.kiln.model.extraction.Ingredient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits an ingredient line into amount, unit, food and note: "1 1/2 cups flour, sifted (about 200
 * g)" gives 1.5, cup, "flour", "sifted, about 200 g".
 */
public final class IngredientParser {

  // French and Spanish/Italian link the unit to the food: "200 g de farine", "1 pincée d'sel"
  private static final Pattern LINK_WORD =
      Pattern.compile("^(?:de|d'|d’|of|di|del|van)\\s*(?=\\p{L})", Pattern.CASE_INSENSITIVE);

  private static final Set<String> SELF_COUNTING =
      Set.of("pinch", "dash", "handful", "bunch", "sprig");

  private IngredientParser() {}

  /** Parses one line; {@code raw} is kept as given (callers clean it first). */
  public static Ingredient parse(String raw) {
    String line = raw == null ? "" : raw.strip();
    Ingredient.Amount amount = null;
    int pos = 0;
    Amounts.Leading leading = Amounts.leading(line);
    if (leading != null) {
      amount = new Ingredient.Amount(leading.min(), leading.max());
      pos = leading.end();
    }
    String unit = null;
    Units.Match match = Units.at(line, pos);
    // why: without an amount a unit word is usually the food ("Cloves, ground"), except for
    // units that are amounts in themselves ("snufje kaneel", "Prise Salz")
    if (match != null && (amount != null || SELF_COUNTING.contains(match.canonical()))) {
      unit = match.canonical();
      pos = match.end();
    }
    String rest = line.substring(pos).strip();
    if (unit != null) {
      rest = LINK_WORD.matcher(rest).replaceFirst("");
    }
    List<String> notes = new ArrayList<>();
    String food = takeParentheses(rest, notes);
    int comma = food.indexOf(',');
    if (comma >= 0) {
      String after = food.substring(comma + 1).strip();
      food = food.substring(0, comma);
      if (!after.isEmpty()) {
        notes.add(0, after);
      }
    }
    food = TextCleaner.collapse(food);
    return new Ingredient(
        raw,
        amount,
        unit,
        food.isEmpty() ? null : food,
        notes.isEmpty() ? null : String.join(", ", notes));
  }

  /**
   * Undoes the parentheses recipe plugins wrap around a note in structured data when the note
   * already has them: "((approx. 7))" becomes "(approx. 7)", "((or rice) (note 1))" becomes "(or
   * rice) (note 1)" and "(, chopped)" becomes ", chopped".
   */
  public static String tidyLine(String line) {
    String s = line;
    for (int open = s.indexOf('(');
        open >= 0 && open < s.length();
        open = s.indexOf('(', open + 1)) {
      int close = matching(s, open);
      if (close < 0) {
        break;
      }
      boolean doubled = s.charAt(open + 1) == '(' && s.charAt(close - 1) == ')';
      boolean commaFirst = s.substring(open + 1, close).strip().startsWith(",");
      if (doubled || commaFirst) {
        s = s.substring(0, open) + s.substring(open + 1, close) + s.substring(close + 1);
      }
    }
    return TextCleaner.collapse(s);
  }

  private static int matching(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      if (s.charAt(i) == '(') {
        depth++;
      } else if (s.charAt(i) == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** The text without its parenthesised parts, which go to {@code notes}. */
  private static String takeParentheses(String text, List<String> notes) {
    StringBuilder kept = new StringBuilder();
    int depth = 0;
    int start = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == '[') {
        if (depth++ == 0) {
          start = i + 1;
        }
      } else if ((c == ')' || c == ']') && depth > 0) {
        if (--depth == 0) {
          String note = TextCleaner.collapse(text.substring(start, i));
          if (!note.isEmpty()) {
            notes.add(note.replaceFirst("^[,;]\\s*", ""));
          }
          kept.append(' ');
        }
      } else if (depth == 0) {
        kept.append(c);
      }
    }
    if (depth > 0) {
      // an unclosed parenthesis: keep the rest as a note rather than lose it
      notes.add(TextCleaner.collapse(text.substring(start)));
    }
    return kept.toString();
  }
}
