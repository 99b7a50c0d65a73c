package dev.kiln.worker.extraction.page;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;

/**
 * Finds a recipe on a page without structured data: the lists under headings such as "Ingredients",
 * "Zutaten", "Ingrédients" or "Ingrediënten" and "Instructions", "Method", "Zubereitung",
 * "Préparation" or "Bereiding", else elements whose class or id names them.
 */
public final class HeuristicRecipeReader {

  static final Pattern INGREDIENTS =
      Pattern.compile(
          "^(?:the\\s+)?(?:ingredients?|ingrédients?|ingredientes|ingredienti|zutaten|ingrediënten"
              + "|ingredienten|benodigdheden|ingredienser|ingredienslista|ainekset|składniki"
              + "|suroviny|what you(?:'ll| will)? need|you will need)\\b[^.!?]{0,40}[.!:]?$",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  static final Pattern INSTRUCTIONS =
      Pattern.compile(
          "^(?:the\\s+)?(?:instructions?|directions?|method|preparation|steps|how to make(?: it)?"
              + "|zubereitung|anleitung|so geht'?s|préparation|étapes|bereiding(?:swijze)?"
              + "|werkwijze|instructies|preparación|elaboración|preparazione|procedimento"
              + "|modo de preparo|fremgangsmåde|fremgangsmåte|tillagning|gör så här|valmistus"
              + "|przygotowanie|postup|aan de slag|zo maak je|so wird'?s gemacht|c'est parti"
              + "|let'?s (?:get )?cook(?:ing)?)\\b[^.!?]{0,40}[.!:]?$",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  // sections that end a recipe part without being part of it
  private static final Pattern OTHER_SECTION =
      Pattern.compile(
          "^(?:notes?|tips?|recipe notes|nutrition|nährwerte|notizen|tipps?|astuces?|conseils?"
              + "|opmerkingen|voedingswaarde|equipment|video|reviews?|comments?|related|more)\\b"
              + "[^.!?]{0,40}$",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern INGREDIENT_CLASS = Pattern.compile("(?i)ingredient|zutat");
  private static final Pattern INSTRUCTION_CLASS =
      Pattern.compile("(?i)instruction|direction|preparation|method|steps|zubereitung|bereiding");
  private static final Pattern SERVES =
      Pattern.compile(
          "(?i)\\b(?:serves|servings?|yields?|makes|portions?|portionen|porzioni|porciones"
              + "|porções|porce|porcí|porcje|portioner|personen|persons?|people|personnes|couverts"
              + "|personas|persone|pessoas|osob|pour|für|voor)\\b");
  private static final int MAX_HEADING = 50;
  private static final int MAX_SIBLINGS = 60;

  private HeuristicRecipeReader() {}

  /** The recipe found by headings and class names, or null when there is none. */
  public static RawRecipe read(Document document) {
    Element body = document.body();
    if (body == null) {
      return null;
    }
    List<Element> ingredientHeadings = headings(body, INGREDIENTS);
    List<Element> instructionHeadings = headings(body, INSTRUCTIONS);
    List<Element> allHeadings = new ArrayList<>(ingredientHeadings);
    allHeadings.addAll(instructionHeadings);

    List<RawRecipe.Group> ingredients = List.of();
    for (Element heading : ingredientHeadings) {
      Element content = SectionContent.after(heading, allHeadings, true);
      if (ArticleExtractor.linkDensity(content) > 0.5) {
        continue;
      }
      List<RawRecipe.Group> groups = DomLists.ingredientGroups(content);
      if (count(groups) > count(ingredients)) {
        ingredients = groups;
      }
    }
    if (ingredients.isEmpty()) {
      Element container = byClass(body, INGREDIENT_CLASS);
      ingredients = container == null ? List.of() : DomLists.ingredientGroups(container);
    }
    List<RawRecipe.Step> steps = List.of();
    for (Element heading : instructionHeadings) {
      Element content = SectionContent.after(heading, allHeadings, false);
      if (ArticleExtractor.linkDensity(content) > 0.5) {
        continue;
      }
      List<RawRecipe.Step> found = DomLists.steps(content);
      if (found.size() > steps.size()) {
        steps = found;
      }
    }
    if (steps.isEmpty()) {
      Element container = byClass(body, INSTRUCTION_CLASS);
      steps = container == null ? List.of() : DomLists.steps(container);
    }
    if (ingredients.isEmpty() && steps.isEmpty()) {
      return null;
    }
    String yields = yields(body);
    return new RawRecipe(
        PageMeta.title(document),
        null,
        List.of(),
        null,
        List.of(),
        yields == null ? List.of() : List.of(yields),
        null,
        null,
        null,
        ingredients,
        steps,
        null,
        List.of(),
        List.of(),
        List.of());
  }

  /**
   * Elements whose whole text is a heading matching {@code pattern}: the outermost element with
   * that text, so its following siblings are the section's content.
   */
  static List<Element> headings(Element body, Pattern pattern) {
    Set<Element> found = new LinkedHashSet<>();
    NodeTraversor.traverse(
        (node, depth) -> {
          if (node instanceof TextNode text && text.text().length() <= MAX_HEADING) {
            String t = text.text().strip();
            if (!t.isEmpty() && pattern.matcher(t).find() && node.parent() instanceof Element p) {
              Element heading = outermost(p, pattern);
              if (heading != null && !inChrome(heading)) {
                found.add(heading);
              }
            }
          }
        },
        body);
    return new ArrayList<>(found);
  }

  private static Element outermost(Element element, Pattern pattern) {
    String text = HtmlText.text(element);
    if (text.length() > MAX_HEADING || !pattern.matcher(text).find()) {
      return null;
    }
    Element current = element;
    while (current.parent() != null && current.parent().normalName() != null) {
      Element parent = current.parent();
      if (parent.normalName().equals("body") || !HtmlText.text(parent).equals(text)) {
        break;
      }
      current = parent;
    }
    return current;
  }

  /**
   * Navigation, sidebars, footers, forms, buttons and links are not recipe sections ("Jump to
   * Ingredients", a sidebar's "Ingredients" menu of tag links).
   */
  private static boolean inChrome(Element element) {
    for (Element e = element; e != null; e = e.parent()) {
      String tag = e.normalName();
      if (tag.equals("a")
          || tag.equals("nav")
          || tag.equals("aside")
          || tag.equals("footer")
          || tag.equals("form")
          || tag.equals("button")
          || tag.equals("label")
          || tag.equals("option")
          || tag.equals("title")) {
        return true;
      }
    }
    return false;
  }

  /** The first outermost element whose class or id names the section and that holds a list. */
  private static Element byClass(Element body, Pattern pattern) {
    for (Element element : body.getAllElements()) {
      String names = (element.className() + " " + element.id()).toLowerCase(Locale.ROOT);
      if (names.isBlank() || !pattern.matcher(names).find() || inChrome(element)) {
        continue;
      }
      int lines = DomLists.lineCount(element);
      if (lines >= 2 && lines <= 120) {
        return element;
      }
    }
    return null;
  }

  /** A short visible line that states servings ("Serves: 4", "Für 4 Personen"), or null. */
  public static String yields(Document document) {
    return document.body() == null ? null : yields(document.body());
  }

  private static String yields(Element body) {
    for (HtmlText.Line line : HtmlText.lines(body, true)) {
      String text = line.text();
      if (text.length() <= 40
          && SERVES.matcher(text).find()
          && text.chars().anyMatch(Character::isDigit)) {
        return text;
      }
    }
    return null;
  }

  private static int count(List<RawRecipe.Group> groups) {
    return groups.stream().mapToInt(g -> g.lines().size()).sum();
  }

  /** Collects the nodes that follow a heading up to the next section. */
  static final class SectionContent {

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
        int before = container.childNodeSize();
        collectSiblings(start, heading, sectionHeadings, ingredients, container);
        if (container.childNodeSize() > before && !HtmlText.text(container).isEmpty()) {
          break;
        }
        start = start.parent();
        if (start == null || start.normalName().equals("body")) {
          break;
        }
      }
      return container;
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
          String text = HtmlText.text(element);
          boolean isList = !element.select("li").isEmpty();
          if (ingredients && hasList && !isList && text.length() > 150) {
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
}
