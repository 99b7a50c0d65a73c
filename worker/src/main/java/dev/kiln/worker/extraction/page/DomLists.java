package dev.kiln.worker.extraction.page;

import dev.kiln.worker.extraction.parse.InstructionSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;

/**
 * Reads ingredient groups and instruction steps out of the element that holds them on the page: one
 * item per list item or line, with emphasised short lines ("<strong>For the sauce</strong>") as
 * group or section titles.
 */
final class DomLists {

  private static final Pattern STARTS_WITH_AMOUNT = Pattern.compile("^[\\d½⅓⅔¼¾⅛⅜⅝⅞]");
  private static final Pattern LEADING_MARK =
      Pattern.compile("^[\\p{So}\\p{Sm}•·*▪◦‣⁃–—-]+\\s*(?=\\S)");

  private static final Pattern SENTENCE_END = Pattern.compile("[.!?…)]\\s*$");
  private static final Pattern TITLE_CLASS =
      Pattern.compile("(?i)title|heading|header|group-?name|subtitle");

  private DomLists() {}

  static int lineCount(Element element) {
    return HtmlText.lines(element, true, false).size();
  }

  /**
   * Ingredient lines of a container, grouped under the headings found between them. A list item is
   * one ingredient even when its parts (amount, name) sit in separate blocks.
   */
  static List<RawRecipe.Group> ingredientGroups(Element container) {
    List<RawRecipe.Group> groups = new ArrayList<>();
    String name = null;
    List<String> lines = new ArrayList<>();
    for (HtmlText.Line line : joinListItems(HtmlText.lines(container, true))) {
      String text = stripMark(line.text());
      if (isHeading(line, text)) {
        if (!lines.isEmpty() || name != null) {
          addGroup(groups, name, lines);
        }
        name = text;
        lines = new ArrayList<>();
      } else if (!text.isEmpty()) {
        lines.add(text);
      }
    }
    addGroup(groups, name, lines);
    return groups;
  }

  /**
   * Steps of a container: one per list item, paragraph or line. Lines that a {@code <br>} splits
   * inside one paragraph are separate steps when they read as sentences, and one step when some are
   * short fragments ("Serving suggestions:<br>
   * warm flatbreads<br>
   * rice").
   */
  static List<RawRecipe.Step> steps(Element container) {
    List<HtmlText.Line> lines = HtmlText.lines(container, true);
    List<RawRecipe.Step> steps = new ArrayList<>();
    String section = null;
    int i = 0;
    while (i < lines.size()) {
      int end = i + 1;
      while (end < lines.size() && lines.get(end).source() == lines.get(i).source()) {
        end++;
      }
      List<HtmlText.Line> run = lines.subList(i, end);
      i = end;
      if (run.size() > 1 && hasFragment(run)) {
        StringBuilder joined = new StringBuilder();
        for (HtmlText.Line line : run) {
          joined.append(joined.isEmpty() ? "" : " ").append(stripMark(line.text()));
        }
        steps.add(RawRecipe.Step.single(section, null, joined.toString()));
        continue;
      }
      for (HtmlText.Line line : run) {
        String text = stripMark(line.text());
        if (text.isEmpty() || InstructionSplitter.isOrdinalLabel(text)) {
          continue;
        }
        if (isHeading(line, text)) {
          section = text;
        } else if (!line.emphasised()) {
          // a long line set wholly in bold is a call-out ("Follow us on ..."), not a step
          steps.add(RawRecipe.Step.single(section, null, text));
        }
      }
    }
    return steps;
  }

  private static boolean hasFragment(List<HtmlText.Line> run) {
    for (int k = 1; k < run.size(); k++) {
      String text = run.get(k).text();
      if (text.length() < 30 && !SENTENCE_END.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A title rather than an item: short, without a leading amount, and either all emphasised, a
   * heading element, a list item holding a sub-list, or ending in a colon.
   */
  static boolean isHeading(HtmlText.Line line, String text) {
    if (text.length() > 60 || STARTS_WITH_AMOUNT.matcher(text).find()) {
      return false;
    }
    if (line.emphasised() || isHeadingElement(line)) {
      return true;
    }
    Element source = line.source();
    if (source != null && source.normalName().equals("li") && !source.select("ul, ol").isEmpty()) {
      return true;
    }
    return text.endsWith(":") && text.length() <= 40;
  }

  /** Whether a line comes from a heading element, or one whose class names it a title. */
  static boolean isHeadingElement(HtmlText.Line line) {
    Element source = line.source();
    if (source == null) {
      return false;
    }
    String tag = source.normalName();
    if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
      return true;
    }
    String names = source.className();
    return !names.isEmpty() && TITLE_CLASS.matcher(names).find();
  }

  /** Merges consecutive lines that belong to the same innermost list item. */
  private static List<HtmlText.Line> joinListItems(List<HtmlText.Line> lines) {
    List<HtmlText.Line> out = new ArrayList<>();
    Element previousItem = null;
    for (HtmlText.Line line : lines) {
      Element item = line.source() == null ? null : line.source().closest("li");
      if (item != null && item == previousItem && !out.isEmpty()) {
        HtmlText.Line last = out.remove(out.size() - 1);
        out.add(
            new HtmlText.Line(
                last.text() + " " + line.text(),
                last.emphasised() && line.emphasised(),
                last.source()));
      } else {
        out.add(line);
      }
      previousItem = item;
    }
    return out;
  }

  static String stripMark(String text) {
    return LEADING_MARK.matcher(text).replaceFirst("").strip();
  }

  private static void addGroup(List<RawRecipe.Group> groups, String name, List<String> lines) {
    if (!lines.isEmpty()) {
      groups.add(new RawRecipe.Group(name, lines));
    }
  }
}
