package dev.kiln.worker.extraction.page;

import java.util.List;
import java.util.regex.Pattern;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/** Collects what follows a section heading, up to where the next section starts. */
final class SectionContent {

  // sections that end a recipe part without being part of it
  private static final Pattern OTHER_SECTION =
      Pattern.compile(
          "^(?:notes?|tips?|recipe notes|nutrition|nährwerte|notizen|tipps?|astuces?|conseils?"
              + "|opmerkingen|voedingswaarde|equipment|video|reviews?|comments?|related)\\b"
              + "[^.!?]{0,40}$",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final String TITLES =
      "h1, h2, h3, h4, h5, h6, strong, b, [class*=title], [class*=heading]";
  private static final int MAX_HEADING = 50;
  private static final int MAX_SIBLINGS = 60;

  private SectionContent() {}

  /**
   * A detached container holding copies of what follows {@code heading}: its whole block when the
   * heading is inline at the block's start, then the block's following siblings, up to the next
   * heading of the same or a higher level, another known section heading, or (for ingredients)
   * prose.
   */
  static Element after(Element heading, List<Element> sectionHeadings, boolean ingredients) {
    Element container = new Element("div");
    Element start = heading;
    if (!HtmlText.isBlock(heading) && !isHeadingTag(heading) && heading.parent() != null) {
      // the heading opens a paragraph that goes on with the content: the paragraph, heading
      // included, belongs to the section, and the heading becomes its title
      container.appendChild(heading.parent().clone());
      start = heading.parent();
    }
    for (int climb = 0; climb < 4 && start != null; climb++) {
      Element level = new Element("div");
      collectSiblings(start, heading, sectionHeadings, ingredients, level);
      if (hasSubstance(level)) {
        // what the levels below gave was the heading's own bar ("Scale 1x 2x"), not content
        if (!hasSubstance(container)) {
          container = new Element("div");
        }
        for (Node node : List.copyOf(level.childNodes())) {
          container.appendChild(node);
        }
        break;
      }
      for (Node node : List.copyOf(level.childNodes())) {
        container.appendChild(node);
      }
      start = start.parent();
      if (start == null || start.normalName().equals("body")) {
        break;
      }
    }
    return container;
  }

  /** A list, or at least two lines: more than a control bar or a lone label. */
  private static boolean hasSubstance(Element content) {
    return !content.select("li").isEmpty() || HtmlText.lines(content, true).size() >= 2;
  }

  private static void collectSiblings(
      Element start,
      Element heading,
      List<Element> sectionHeadings,
      boolean ingredients,
      Element container) {
    int level = level(heading);
    boolean hasList = false;
    int taken = 0;
    for (Node node = start.nextSibling();
        node != null && taken < MAX_SIBLINGS;
        node = node.nextSibling()) {
      if (node instanceof Element element) {
        if (isBoundary(element, level, sectionHeadings)) {
          break;
        }
        boolean isList = !element.select("li").isEmpty();
        // after the list, prose ("Keep the screen on while cooking") ends the ingredients;
        // only group titles may come between lists
        if (ingredients && hasList && !isList && !isTitleBlock(element)) {
          break;
        }
        hasList |= isList;
        container.appendChild(element.clone());
        taken++;
      } else if (node instanceof TextNode text && !text.isBlank()) {
        container.appendChild(text.clone());
      }
    }
  }

  private static boolean isBoundary(Element element, int level, List<Element> sectionHeadings) {
    for (Element other : sectionHeadings) {
      if (other == element || element.ownerDocument() != null && isAncestor(element, other)) {
        return true;
      }
    }
    if (element.normalName().equals("form")) {
      return true;
    }
    int own = level(element);
    if (own > 0 && (level == 0 || own <= level)) {
      return true;
    }
    // a block that holds a heading of the same or a higher level starts the next section
    for (Element inner : element.select("h1, h2, h3, h4, h5, h6")) {
      int innerLevel = level(inner);
      if (level == 0 ? innerLevel <= 3 : innerLevel <= level) {
        return true;
      }
    }
    // so does a title of another part ("Notes", "Nutrition"), on its own or inside the block
    if (isOtherSection(element)) {
      return true;
    }
    for (Element inner : element.select(TITLES)) {
      if (isOtherSection(inner)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTitleBlock(Element element) {
    List<HtmlText.Line> lines = HtmlText.lines(element, true);
    return lines.isEmpty()
        || lines.size() == 1
            && lines.get(0).text().length() <= MAX_HEADING
            && (lines.get(0).emphasised()
                || DomLists.isHeadingElement(lines.get(0))
                || isHeadingTag(element));
  }

  private static boolean isOtherSection(Element element) {
    String text = HtmlText.text(element);
    return text.length() <= MAX_HEADING && OTHER_SECTION.matcher(text).find();
  }

  private static boolean isAncestor(Element ancestor, Element node) {
    for (Element e = node.parent(); e != null; e = e.parent()) {
      if (e == ancestor) {
        return true;
      }
    }
    return false;
  }

  private static int level(Element element) {
    String tag = element.normalName();
    return isHeadingTag(element) ? tag.charAt(1) - '0' : 0;
  }

  private static boolean isHeadingTag(Element element) {
    String tag = element.normalName();
    return tag.length() == 2
        && tag.charAt(0) == 'h'
        && tag.charAt(1) >= '1'
        && tag.charAt(1) <= '6';
  }
}
