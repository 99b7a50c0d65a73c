package dev.kiln.worker.extraction.page;

import dev.kiln.worker.extraction.parse.TextCleaner;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jsoup.nodes.Document;

/**
 * Lines up a recipe's ingredient list with the list shown on the page. Where they line up, the
 * page's headings become ingredient groups, list entries that are really headings stop being
 * ingredients, and a line takes the page's wording when that carries more than the structured data
 * (a note the data drops, "¼" printed where the data says "1/4").
 */
public final class VisibleIngredients {

  private static final int MAX_SPAN = 3;
  private static final int MAX_GAP = 8;
  private static final int MAX_SKIPPED = 2;

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
    List<List<String>> pageTokens = new ArrayList<>(page.size());
    List<Boolean> titles = new ArrayList<>(page.size());
    Map<String, List<Integer>> index = new HashMap<>();
    for (int p = 0; p < page.size(); p++) {
      List<String> tokens =
          page.get(p).text().length() > 300 ? List.of() : tokens(page.get(p).text());
      pageTokens.add(tokens);
      titles.add(DomLists.isHeadingElement(page.get(p)));
      for (String token : new HashSet<>(tokens)) {
        index.computeIfAbsent(token, k -> new ArrayList<>()).add(p);
      }
    }
    List<List<Match>> candidates = new ArrayList<>();
    for (String line : wanted) {
      candidates.add(candidates(tokens(line), pageTokens, titles, index));
    }
    List<Match> chain = bestChain(candidates);
    long matched = chain.stream().filter(m -> m != null).count();
    if (matched < Math.max(2, Math.ceil(wanted.size() * 0.8))) {
      return recipe;
    }
    return recipe.withIngredients(rebuild(wanted, chain, page));
  }

  /** A span of page lines that matches one ingredient. */
  private record Match(int line, int start, int length, double score) {
    int end() {
      return start + length;
    }
  }

  private static List<Match> candidates(
      List<String> want,
      List<List<String>> pageTokens,
      List<Boolean> titles,
      Map<String, List<Integer>> index) {
    List<Match> out = new ArrayList<>();
    if (want.isEmpty()) {
      return out;
    }
    Set<Integer> starts = new HashSet<>();
    for (String token : want) {
      for (int p : index.getOrDefault(token, List.of())) {
        for (int k = 0; k < MAX_SPAN; k++) {
          if (p - k >= 0) {
            starts.add(p - k);
          }
        }
      }
    }
    for (int start : starts) {
      Match best = null;
      List<String> got = new ArrayList<>();
      for (int k = 1; k <= MAX_SPAN && start + k <= pageTokens.size(); k++) {
        if (k > 1 && titles.get(start + k - 1)) {
          break; // an ingredient never runs on into a group title
        }
        got.addAll(pageTokens.get(start + k - 1));
        double score = similarity(want, got);
        if (score > 0 && (best == null || score > best.score())) {
          best = new Match(-1, start, k, score);
        }
      }
      if (best != null) {
        out.add(best);
      }
    }
    return out;
  }

  /**
   * How well a page text covers an ingredient: most of the ingredient's words appear (allowing
   * plural endings) and the page text is not much longer. 0 when it does not match.
   */
  static double similarity(List<String> want, List<String> got) {
    if (want.isEmpty() || got.isEmpty()) {
      return 0;
    }
    List<String> pool = new ArrayList<>(got);
    int common = 0;
    for (String w : want) {
      for (int i = 0; i < pool.size(); i++) {
        if (sameWord(w, pool.get(i))) {
          pool.remove(i);
          common++;
          break;
        }
      }
    }
    double recall = (double) common / want.size();
    double precision = (double) common / got.size();
    // a page line may add a long note to a short ingredient, so full recall tolerates more
    double minPrecision = recall == 1 ? 0.3 : 0.4;
    return recall >= 0.8 && precision >= minPrecision ? recall + precision : 0;
  }

  private static boolean sameWord(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    String shorter = a.length() < b.length() ? a : b;
    String longer = shorter == a ? b : a;
    return shorter.length() >= 4
        && longer.startsWith(shorter)
        && longer.length() - shorter.length() <= 2;
  }

  /** The longest in-order chain of matches with small gaps; null entries where unmatched. */
  private static List<Match> bestChain(List<List<Match>> candidates) {
    int n = candidates.size();
    List<Match> flat = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (Match m : candidates.get(i)) {
        flat.add(new Match(i, m.start(), m.length(), m.score()));
        owner.add(i);
      }
    }
    flat.sort((a, b) -> a.line() != b.line() ? a.line() - b.line() : a.start() - b.start());
    int size = flat.size();
    int[] count = new int[size];
    double[] score = new double[size];
    int[] previous = new int[size];
    int bestEnd = -1;
    for (int c = 0; c < size; c++) {
      Match m = flat.get(c);
      count[c] = 1;
      score[c] = m.score();
      previous[c] = -1;
      for (int d = 0; d < c; d++) {
        Match prior = flat.get(d);
        if (prior.line() >= m.line()
            || m.line() - prior.line() - 1 > MAX_SKIPPED
            || prior.end() > m.start()
            || m.start() - prior.end() > MAX_GAP) {
          continue;
        }
        if (count[d] + 1 > count[c]
            || count[d] + 1 == count[c] && score[d] + m.score() > score[c]) {
          count[c] = count[d] + 1;
          score[c] = score[d] + m.score();
          previous[c] = d;
        }
      }
      if (bestEnd < 0
          || count[c] > count[bestEnd]
          || count[c] == count[bestEnd] && score[c] > score[bestEnd]) {
        bestEnd = c;
      }
    }
    List<Match> chain = new ArrayList<>(java.util.Collections.nCopies(n, (Match) null));
    for (int c = bestEnd; c >= 0; c = previous[c]) {
      chain.set(flat.get(c).line(), flat.get(c));
    }
    return chain;
  }

  private static List<RawRecipe.Group> rebuild(
      List<String> wanted, List<Match> chain, List<HtmlText.Line> page) {
    boolean pageWording = prefersPageWording(wanted, chain, page);
    List<RawRecipe.Group> groups = new ArrayList<>();
    int cursor = firstStart(chain);
    String name = titleBefore(page, cursor);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < wanted.size(); i++) {
      Match m = chain.get(i);
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
    /** Same words and punctuation. */
    SAME,
    /** Same words and punctuation, with spaces the data runs together ("400 g" for "400g"). */
    RESPACED,
    /** All of the data's words and more (a note, a unit). */
    RICHER,
    /** Anything else: the data's wording stands. */
    OTHER
  }

  static Wording compare(String data, String shown) {
    List<String> a = tokens(data);
    List<String> b = tokens(shown);
    if (a.equals(b)) {
      if (!skeleton(data).equals(skeleton(shown))) {
        return Wording.OTHER;
      }
      return spaces(shown) > spaces(data) ? Wording.RESPACED : Wording.SAME;
    }
    return b.size() > a.size() && covers(b, a) ? Wording.RICHER : Wording.OTHER;
  }

  /**
   * Whether the page's list, not the data, is the fuller source: when a good share of its lines say
   * more than the data, the data is a summary (units or notes dropped). A single richer line is
   * more likely an aside the data rightly leaves out.
   */
  private static boolean prefersPageWording(
      List<String> wanted, List<Match> chain, List<HtmlText.Line> page) {
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
    return matched > 0 && richer >= 0.3 * matched;
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

  private static int firstStart(List<Match> chain) {
    for (Match m : chain) {
      if (m != null) {
        return m.start();
      }
    }
    return -1;
  }

  private static String shown(List<HtmlText.Line> page, Match m) {
    StringBuilder out = new StringBuilder();
    for (int p = m.start(); p < m.end(); p++) {
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append(DomLists.stripMark(page.get(p).text()));
    }
    return out.toString();
  }

  /** The punctuation of a text: "1/4" and "¼" differ here, as they do in print. */
  private static String skeleton(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isLetterOrDigit(c) && !Character.isWhitespace(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static long spaces(String text) {
    return text.chars().filter(c -> c == ' ').count();
  }

  private static boolean covers(List<String> bigger, List<String> smaller) {
    List<String> pool = new ArrayList<>(bigger);
    for (String w : smaller) {
      boolean found = false;
      for (int i = 0; i < pool.size() && !found; i++) {
        if (sameWord(w, pool.get(i))) {
          pool.remove(i);
          found = true;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** Lower-case runs of letters or digits, with fractions in one spelling ("¼" as 1, 4). */
  static List<String> tokens(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean digit = Character.isDigit(c);
      if (Character.isLetterOrDigit(c)
          && (current.isEmpty()
              || digit == Character.isDigit(current.charAt(current.length() - 1)))) {
        current.append(c);
      } else {
        if (!current.isEmpty()) {
          out.add(current.toString());
          current.setLength(0);
        }
        if (Character.isLetterOrDigit(c)) {
          current.append(c);
        }
      }
    }
    if (!current.isEmpty()) {
      out.add(current.toString());
    }
    return out;
  }

  private static void addGroup(List<RawRecipe.Group> groups, String name, List<String> lines) {
    if (!lines.isEmpty()) {
      groups.add(new RawRecipe.Group(name, lines));
    }
  }
}
