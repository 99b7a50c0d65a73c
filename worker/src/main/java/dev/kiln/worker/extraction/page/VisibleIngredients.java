package dev.kiln.worker.extraction.page;

import dev.kiln.worker.extraction.parse.TextCleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;

/**
 * Lines up a recipe's ingredient list with the list shown on the page. Where they line up, the
 * page's headings become ingredient groups, list entries that are really headings stop being
 * ingredients, and a line takes the page's wording when the page clearly carries more than the
 * structured data (notes or units the data drops on most lines, a space between number and unit).
 * Otherwise the data's wording stands: sites differ in which of the two matches what readers see,
 * and structured data is what the page publishes as the recipe.
 */
public final class VisibleIngredients {

  private static final Pattern NUMBER_THEN_LETTER = Pattern.compile("(\\d)(\\p{L})");

  private VisibleIngredients() {}

  /** The recipe with its ingredients aligned to the page, or unchanged when they do not align. */
  public static RawRecipe align(Document document, RawRecipe recipe) {
    List<String> wanted = new ArrayList<>();
    for (RawRecipe.Group group : recipe.ingredients()) {
      for (String entry : group.lines()) {
        wanted.addAll(TextCleaner.lines(entry));
      }
    }
    if (wanted.size() < 2 || document.body() == null) {
      return recipe;
    }
    List<HtmlText.Line> page = HtmlText.lines(document.body(), true);
    List<LineAlignment.Match> chain = LineAlignment.align(wanted, page);
    long matched = chain.stream().filter(m -> m != null).count();
    if (matched < Math.max(2, Math.ceil(wanted.size() * 0.8))) {
      return recipe;
    }
    return recipe.withIngredients(rebuild(wanted, chain, page));
  }

  private static List<RawRecipe.Group> rebuild(
      List<String> wanted, List<LineAlignment.Match> chain, List<HtmlText.Line> page) {
    boolean pageWording = prefersPageWording(wanted, chain, page);
    List<RawRecipe.Group> groups = new ArrayList<>();
    int cursor = firstStart(chain);
    String name = titleBefore(page, cursor);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < wanted.size(); i++) {
      LineAlignment.Match m = chain.get(i);
      if (m == null) {
        lines.add(wanted.get(i));
        continue;
      }
      // headings shown between the previous ingredient and this one start a group
      for (int p = cursor; p < m.start(); p++) {
        String text = DomLists.stripMark(page.get(p).text());
        if (DomLists.isHeading(page.get(p), text)) {
          addGroup(groups, name, lines);
          lines = new ArrayList<>();
          name = text;
        }
      }
      cursor = m.end();
      String shown = shown(page, m);
      if (m.length() == 1
          && DomLists.isHeadingElement(page.get(m.start()))
          && wanted.get(i).chars().noneMatch(Character::isDigit)) {
        // the data lists a group title as if it were an ingredient
        addGroup(groups, name, lines);
        lines = new ArrayList<>();
        name = shown;
        continue;
      }
      Wording wording = compare(wanted.get(i), shown);
      boolean useShown = wording == Wording.RESPACED || wording == Wording.RICHER && pageWording;
      lines.add(useShown ? shown : wanted.get(i));
    }
    addGroup(groups, name, lines);
    return groups;
  }

  /** How the page's text of an ingredient relates to the structured data's. */
  enum Wording {
    /** The same words; any difference in punctuation or fractions keeps the data's text. */
    SAME,
    /** The same text with a space the data leaves out between number and unit ("400 g"). */
    RESPACED,
    /** All of the data's words and more (a note, a unit). */
    RICHER,
    /** Anything else: the data's wording stands. */
    OTHER
  }

  static Wording compare(String data, String shown) {
    List<String> a = LineAlignment.tokens(data);
    List<String> b = LineAlignment.tokens(shown);
    if (a.equals(b)) {
      String spaced = NUMBER_THEN_LETTER.matcher(data).replaceAll("$1 $2");
      return !spaced.equals(data) && spaced.equals(shown) ? Wording.RESPACED : Wording.SAME;
    }
    return b.size() > a.size() && LineAlignment.covers(b, a) ? Wording.RICHER : Wording.OTHER;
  }

  /**
   * Whether the page's list, not the data, is the fuller source: when a good share of its lines say
   * more than the data, the data is a summary (units or notes dropped). A single richer line is
   * more likely an aside the data rightly leaves out.
   */
  private static boolean prefersPageWording(
      List<String> wanted, List<LineAlignment.Match> chain, List<HtmlText.Line> page) {
    int matched = 0;
    int richer = 0;
    for (int i = 0; i < wanted.size(); i++) {
      if (chain.get(i) != null) {
        matched++;
        if (compare(wanted.get(i), shown(page, chain.get(i))) == Wording.RICHER) {
          richer++;
        }
      }
    }
    return matched > 0 && richer >= 0.4 * matched;
  }

  /**
   * The group title right above the first ingredient, if any; the section's own heading
   * ("Ingredients") is not a group title.
   */
  private static String titleBefore(List<HtmlText.Line> page, int first) {
    if (first <= 0) {
      return null;
    }
    HtmlText.Line line = page.get(first - 1);
    String text = DomLists.stripMark(line.text());
    if (!DomLists.isHeading(line, text) || HeuristicRecipeReader.INGREDIENTS.matcher(text).find()) {
      return null;
    }
    return text;
  }

  private static int firstStart(List<LineAlignment.Match> chain) {
    for (LineAlignment.Match m : chain) {
      if (m != null) {
        return m.start();
      }
    }
    return -1;
  }

  private static String shown(List<HtmlText.Line> page, LineAlignment.Match m) {
    StringBuilder out = new StringBuilder();
    for (int p = m.start(); p < m.end(); p++) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(DomLists.stripMark(page.get(p).text()));
    }
    return out.toString();
  }

  private static void addGroup(List<RawRecipe.Group> groups, String name, List<String> lines) {
    if (!lines.isEmpty()) {
      groups.add(new RawRecipe.Group(name, lines));
    }
  }
}
