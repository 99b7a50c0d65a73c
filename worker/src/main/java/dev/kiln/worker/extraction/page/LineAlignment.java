package dev.kiln.worker.extraction.page;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds, in order, the page lines that show each of a list of texts: every text may match a span of
 * up to three consecutive lines (an amount and a name in separate blocks), matches keep the list's
 * order with small gaps, and words match regardless of case, punctuation and plural endings.
 */
final class LineAlignment {

  private static final int MAX_SPAN = 3;
  private static final int MAX_GAP = 8;
  private static final int MAX_SKIPPED = 2;
  private static final int MAX_CANDIDATES = 40;
  private static final int MAX_LINE = 300;

  private LineAlignment() {}

  /**
   * A span of page lines that shows one text.
   *
   * @param text index of the text
   * @param start first page line
   * @param length number of page lines
   * @param score how well they match, higher is better
   */
  record Match(int text, int start, int length, double score) {
    int end() {
      return start + length;
    }
  }

  /**
   * The best in-order match for each text, null where a text has none.
   *
   * @param texts the texts to find
   * @param page the page's visible lines
   */
  static List<Match> align(List<String> texts, List<HtmlText.Line> page) {
    List<List<String>> pageTokens = new ArrayList<>(page.size());
    List<Boolean> titles = new ArrayList<>(page.size());
    Map<String, List<Integer>> index = new HashMap<>();
    for (int p = 0; p < page.size(); p++) {
      String text = page.get(p).text();
      List<String> tokens = text.length() > MAX_LINE ? List.of() : tokens(text);
      pageTokens.add(tokens);
      titles.add(DomLists.isHeadingElement(page.get(p)));
      for (String token : new HashSet<>(tokens)) {
        index.computeIfAbsent(token, k -> new ArrayList<>()).add(p);
      }
    }
    List<List<Match>> candidates = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      candidates.add(candidates(i, tokens(texts.get(i)), pageTokens, titles, index));
    }
    return bestChain(candidates);
  }

  /** The best-scoring spans for one text, at most {@link #MAX_CANDIDATES}. */
  private static List<Match> candidates(
      int text,
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
        for (int k = 0; k < MAX_SPAN && p - k >= 0; k++) {
          starts.add(p - k);
        }
      }
    }
    for (int start : starts) {
      Match best = null;
      List<String> got = new ArrayList<>();
      for (int k = 1; k <= MAX_SPAN && start + k <= pageTokens.size(); k++) {
        if (k > 1 && titles.get(start + k - 1)) {
          break; // a text never runs on into a title
        }
        got.addAll(pageTokens.get(start + k - 1));
        double score = similarity(want, got);
        if (score > 0 && (best == null || score > best.score())) {
          best = new Match(text, start, k, score);
        }
      }
      if (best != null) {
        out.add(best);
      }
    }
    out.sort(
        (x, y) ->
            x.score() != y.score() ? Double.compare(y.score(), x.score()) : x.start() - y.start());
    return out.size() > MAX_CANDIDATES ? new ArrayList<>(out.subList(0, MAX_CANDIDATES)) : out;
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

  /**
   * The longest in-order chain of matches with small gaps (ties go to the better scores); null
   * entries where a text is unmatched. A match may follow one of the previous few texts' matches
   * only, which keeps this linear in the number of texts.
   */
  private static List<Match> bestChain(List<List<Match>> candidates) {
    int n = candidates.size();
    List<List<Integer>> counts = new ArrayList<>();
    List<List<Double>> scores = new ArrayList<>();
    List<List<Match>> previous = new ArrayList<>();
    Match bestEnd = null;
    int bestCount = 0;
    double bestScore = 0;
    Map<Match, int[]> position = new HashMap<>();
    for (int i = 0; i < n; i++) {
      List<Integer> count = new ArrayList<>();
      List<Double> score = new ArrayList<>();
      List<Match> prior = new ArrayList<>();
      for (int c = 0; c < candidates.get(i).size(); c++) {
        Match m = candidates.get(i).get(c);
        int bestC = 1;
        double bestS = m.score();
        Match bestP = null;
        for (int j = Math.max(0, i - MAX_SKIPPED - 1); j < i; j++) {
          for (int d = 0; d < candidates.get(j).size(); d++) {
            Match p = candidates.get(j).get(d);
            if (p.end() > m.start() || m.start() - p.end() > MAX_GAP) {
              continue;
            }
            int pc = counts.get(j).get(d) + 1;
            double ps = scores.get(j).get(d) + m.score();
            boolean tie = pc == bestC && Math.abs(ps - bestS) < 1e-9;
            // on a tie the nearest predecessor keeps the chain compact
            if (pc > bestC
                || pc == bestC && ps > bestS + 1e-9
                || tie && bestP != null && p.end() > bestP.end()) {
              bestC = pc;
              bestS = ps;
              bestP = p;
            }
          }
        }
        count.add(bestC);
        score.add(bestS);
        prior.add(bestP);
        position.put(m, new int[] {i, c});
        boolean tie = bestC == bestCount && Math.abs(bestS - bestScore) < 1e-9;
        // on a tie the first list on the page wins: later copies are summaries and step lists
        if (bestC > bestCount
            || bestC == bestCount && bestS > bestScore + 1e-9
            || tie && bestEnd != null && m.start() < bestEnd.start()) {
          bestCount = bestC;
          bestScore = bestS;
          bestEnd = m;
        }
      }
      counts.add(count);
      scores.add(score);
      previous.add(prior);
    }
    List<Match> chain = new ArrayList<>(Collections.nCopies(n, (Match) null));
    for (Match m = bestEnd; m != null; ) {
      int[] at = position.get(m);
      chain.set(at[0], m);
      m = previous.get(at[0]).get(at[1]);
    }
    return chain;
  }

  static boolean covers(List<String> bigger, List<String> smaller) {
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
}
