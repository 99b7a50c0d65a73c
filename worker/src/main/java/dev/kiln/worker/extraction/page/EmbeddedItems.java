package dev.kiln.worker.extraction.page;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Reads schema.org items embedded in HTML attributes, microdata ({@code itemscope}/{@code
 * itemprop}) or RDFa Lite ({@code typeof}/{@code property}), into the JSON shape {@link
 * SchemaRecipeMapper} reads, so all syntaxes share one mapping.
 */
public final class EmbeddedItems {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> RECIPE_PROPERTIES =
      Set.of("recipeIngredient", "ingredients", "ingredient", "recipeInstructions", "instructions");
  private static final Set<String> URL_TAGS =
      Set.of("a", "area", "link", "img", "audio", "video", "source", "track", "embed", "iframe");

  /** The attribute names of one syntax. */
  private record Syntax(String scope, String property, String type) {}

  private static final Syntax MICRODATA = new Syntax("itemscope", "itemprop", "itemtype");
  private static final Syntax RDFA = new Syntax("typeof", "property", "typeof");

  private final Syntax syntax;
  // why: ingredient and instruction values are re-read from their elements, where line breaks
  // and headings are still visible
  private final Map<ObjectNode, Map<String, List<Element>>> elements = new IdentityHashMap<>();

  private EmbeddedItems(Syntax syntax) {
    this.syntax = syntax;
  }

  /** The page's microdata recipe, or null. */
  public static RawRecipe microdata(Document document) {
    return new EmbeddedItems(MICRODATA).recipe(document);
  }

  /** The page's RDFa recipe, or null. */
  public static RawRecipe rdfa(Document document) {
    return new EmbeddedItems(RDFA).recipe(document);
  }

  private RawRecipe recipe(Document document) {
    ObjectNode best = null;
    for (Element scope : document.select("[" + syntax.scope + "]")) {
      if (isTopLevel(scope)) {
        ObjectNode item = item(scope);
        ObjectNode recipe = findRecipe(item, scope);
        if (recipe != null && (best == null || weight(recipe) > weight(best))) {
          best = recipe;
        }
      }
    }
    if (best == null && syntax == MICRODATA) {
      best = orphans(document);
    }
    if (best == null) {
      return null;
    }
    RawRecipe raw = new SchemaRecipeMapper(UnaryOperator.identity()).map(best);
    Map<String, List<Element>> props = elements.getOrDefault(best, Map.of());
    List<Element> ingredients =
        longer(
            props.get("recipeIngredient"),
            longer(props.get("ingredients"), props.get("ingredient")));
    if (ingredients.size() == 1 && DomLists.lineCount(ingredients.get(0)) > 1) {
      raw = raw.withIngredients(DomLists.ingredientGroups(ingredients.get(0)));
    }
    List<Element> instructions =
        props.getOrDefault("recipeInstructions", props.getOrDefault("instructions", List.of()));
    if (!instructions.isEmpty() && instructions.stream().noneMatch(this::isScope)) {
      List<RawRecipe.Step> steps = new ArrayList<>();
      for (Element element : instructions) {
        steps.addAll(DomLists.steps(element));
      }
      raw = raw.withInstructions(steps);
    }
    return raw;
  }

  /** A Recipe item, the item itself or one nested in it (a WebPage's mainEntity). */
  private ObjectNode findRecipe(ObjectNode item, Element scope) {
    if (isRecipe(item)) {
      return item;
    }
    for (var entry : item.properties()) {
      for (var value : entry.getValue()) {
        if (value instanceof ObjectNode nested) {
          ObjectNode found = findRecipe(nested, scope);
          if (found != null) {
            return found;
          }
        }
      }
    }
    return null;
  }

  private static boolean isRecipe(ObjectNode item) {
    if (SchemaRecipeMapper.types(item).contains("Recipe")) {
      return true;
    }
    // why: some pages give the recipe's scope no type; its properties still say what it is
    return SchemaRecipeMapper.types(item).isEmpty()
        && RECIPE_PROPERTIES.stream().anyMatch(item::has);
  }

  private static int weight(ObjectNode recipe) {
    int weight = 0;
    for (String property : RECIPE_PROPERTIES) {
      weight += recipe.has(property) ? recipe.get(property).size() : 0;
    }
    return weight;
  }

  private boolean isScope(Element element) {
    return element.hasAttr(syntax.scope);
  }

  private boolean isTopLevel(Element scope) {
    if (!scope.hasAttr(syntax.property)) {
      return true;
    }
    for (Element parent = scope.parent(); parent != null; parent = parent.parent()) {
      if (isScope(parent)) {
        return false;
      }
    }
    return true;
  }

  private ObjectNode item(Element scope) {
    ObjectNode item = JSON.objectNode();
    String type = scope.attr(syntax.type).strip();
    if (!type.isEmpty()) {
      ArrayNode types = item.putArray("@type");
      for (String t : type.split("\\s+")) {
        types.add(t);
      }
    }
    Map<String, List<Element>> props = new java.util.LinkedHashMap<>();
    elements.put(item, props);
    collect(scope, item, props);
    return item;
  }

  /** Adds the properties found below {@code scope}, not entering nested items. */
  private void collect(Element scope, ObjectNode item, Map<String, List<Element>> props) {
    // why: iterative, so a page nested thousands of levels deep cannot overflow the stack
    Deque<Element> pending = new ArrayDeque<>();
    pushChildren(scope, pending);
    while (!pending.isEmpty()) {
      Element child = pending.pop();
      String names = child.attr(syntax.property).strip();
      if (!names.isEmpty()) {
        for (String name : names.split("\\s+")) {
          String key = SchemaRecipeMapper.localName(name);
          ArrayNode values = item.has(key) ? (ArrayNode) item.get(key) : item.putArray(key);
          values.add(isScope(child) ? item(child) : JSON.textNode(value(child)));
          props.computeIfAbsent(key, k -> new ArrayList<>()).add(child);
        }
      }
      if (!isScope(child)) {
        pushChildren(child, pending);
      }
    }
  }

  private static void pushChildren(Element element, Deque<Element> pending) {
    List<Element> children = element.children();
    for (int i = children.size() - 1; i >= 0; i--) {
      pending.push(children.get(i));
    }
  }

  /** Microdata's property value rules, which RDFa Lite shares for the attributes used here. */
  private static String value(Element element) {
    if (element.hasAttr("content")) {
      return element.attr("content");
    }
    String tag = element.normalName();
    if (URL_TAGS.contains(tag)) {
      String attr = tag.equals("a") || tag.equals("area") || tag.equals("link") ? "href" : "src";
      String url = element.absUrl(attr);
      return url.isEmpty() ? element.attr(attr) : url;
    }
    if (tag.equals("time") && element.hasAttr("datetime")) {
      return element.attr("datetime");
    }
    if ((tag.equals("data") || tag.equals("meter")) && element.hasAttr("value")) {
      return element.attr("value");
    }
    if (tag.equals("object") && element.hasAttr("data")) {
      return element.absUrl("data");
    }
    if (element.hasAttr("resource")) {
      return element.attr("resource");
    }
    List<String> lines = new ArrayList<>();
    for (HtmlText.Line line : HtmlText.lines(element, true, false)) {
      lines.add(line.text());
    }
    return String.join("\n", lines);
  }

  /** Recipe properties outside any item: the page is the recipe. */
  private ObjectNode orphans(Document document) {
    ObjectNode item = JSON.objectNode();
    Map<String, List<Element>> props = new java.util.LinkedHashMap<>();
    for (Element element : document.select("[" + syntax.property + "]")) {
      if (isTopLevel(element) && !isScope(element)) {
        for (String name : element.attr(syntax.property).strip().split("\\s+")) {
          String key = SchemaRecipeMapper.localName(name);
          ArrayNode values = item.has(key) ? (ArrayNode) item.get(key) : item.putArray(key);
          values.add(JSON.textNode(value(element)));
          props.computeIfAbsent(key, k -> new ArrayList<>()).add(element);
        }
      }
    }
    if (RECIPE_PROPERTIES.stream().noneMatch(item::has)) {
      return null;
    }
    elements.put(item, props);
    return item;
  }

  private static List<Element> longer(List<Element> a, List<Element> b) {
    List<Element> x = a == null ? List.of() : a;
    List<Element> y = b == null ? List.of() : b;
    return y.size() > x.size() ? y : x;
  }
}
