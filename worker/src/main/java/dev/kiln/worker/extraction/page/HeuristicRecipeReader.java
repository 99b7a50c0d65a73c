package dev.kiln.worker.extraction.page;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
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
  private static final Pattern INGREDIENT_CLASS = Pattern.compile("(?i)ingredient|zutat");
  private static final Pattern INSTRUCTION_CLASS =
      Pattern.compile("(?i)instruction|direction|preparation|method|steps|zubereitung|bereiding");
  private static final int MAX_HEADING = 50;

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
    Element ingredientHeading = null;
    for (Element heading : ingredientHeadings) {
      Element content = SectionContent.after(heading, allHeadings, true);
      if (ArticleExtractor.linkDensity(content) > 0.5) {
        continue;
      }
      List<RawRecipe.Group> groups = DomLists.ingredientGroups(content);
      if (count(groups) > count(ingredients)) {
        ingredients = groups;
        ingredientHeading = heading;
      }
    }
    if (ingredients.isEmpty()) {
      Element container = byClass(body, INGREDIENT_CLASS);
      ingredients = container == null ? List.of() : DomLists.ingredientGroups(container);
    }
    List<RawRecipe.Step> steps = steps(body, instructionHeadings, allHeadings, ingredientHeading);
    if (steps.isEmpty()) {
      Element container = byClass(body, INSTRUCTION_CLASS);
      steps = container == null ? List.of() : DomLists.steps(container);
    }
    if (ingredients.isEmpty() && steps.isEmpty()) {
      return null;
    }
    String yields = PageFacts.yields(document);
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

  /**
   * Steps under the instruction heading that follows the chosen ingredients, since a recipe card
   * lists ingredients first and a blog post's "how to" prose elsewhere on the page is not the
   * method; without such a heading, the heading with the most steps.
   */
  private static List<RawRecipe.Step> steps(
      Element body, List<Element> headings, List<Element> allHeadings, Element ingredients) {
    Map<Element, Integer> order = new IdentityHashMap<>();
    if (ingredients != null && headings.size() > 1) {
      List<Element> all = body.getAllElements();
      for (int i = 0; i < all.size(); i++) {
        order.put(all.get(i), i);
      }
    }
    List<RawRecipe.Step> most = List.of();
    for (Element heading : headings) {
      Element content = SectionContent.after(heading, allHeadings, false);
      if (ArticleExtractor.linkDensity(content) > 0.5) {
        continue;
      }
      List<RawRecipe.Step> found = DomLists.steps(content);
      if (!found.isEmpty()
          && !order.isEmpty()
          && order.getOrDefault(heading, -1) > order.getOrDefault(ingredients, -1)) {
        return found;
      }
      if (found.size() > most.size()) {
        most = found;
      }
    }
    return most;
  }

  private static int count(List<RawRecipe.Group> groups) {
    return groups.stream().mapToInt(g -> g.lines().size()).sum();
  }
}
