package dev.kiln.worker.extraction.page;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Maps a schema.org Recipe, as a JSON tree, to a {@link RawRecipe}. JSON-LD gives the tree
 * directly; microdata and RDFa are converted to the same shape first, so all three share one
 * reading of the vocabulary.
 */
public final class SchemaRecipeMapper {

  private final UnaryOperator<JsonNode> resolve;

  /**
   * @param resolve replaces a bare {@code {"@id": ...}} reference by the node it names, or returns
   *     its argument
   */
  public SchemaRecipeMapper(UnaryOperator<JsonNode> resolve) {
    this.resolve = resolve;
  }

  /** Local schema.org type names of a node: "Recipe" for "http://schema.org/Recipe" too. */
  public static Set<String> types(JsonNode node) {
    Set<String> types = new LinkedHashSet<>();
    if (node != null && node.isObject()) {
      JsonNode type = node.get("@type");
      if (type == null) {
        type = node.get("type");
      }
      if (type != null) {
        for (JsonNode t : type.isArray() ? type : List.of(type)) {
          if (t.isTextual()) {
            types.add(localName(t.asText()));
          }
        }
      }
    }
    return types;
  }

  static String localName(String iri) {
    String s = iri.strip();
    int cut = Math.max(s.lastIndexOf('/'), Math.max(s.lastIndexOf(':'), s.lastIndexOf('#')));
    return s.substring(cut + 1);
  }

  public RawRecipe map(JsonNode recipe) {
    return new RawRecipe(
        first(texts(recipe, "name", "headline")),
        first(texts(recipe, "description")),
        names(recipe.get("author"), recipe.get("creator")),
        first(names(recipe.get("inLanguage"), recipe.get("language"))),
        urls(recipe.get("image"), recipe.get("thumbnailUrl")),
        yields(recipe.get("recipeYield"), recipe.get("yield")),
        first(texts(recipe, "prepTime")),
        first(texts(recipe, "cookTime")),
        first(texts(recipe, "totalTime")),
        ingredients(recipe),
        instructions(firstPresent(recipe, "recipeInstructions", "instructions")),
        nutrition(recipe.get("nutrition")),
        texts(recipe, "keywords"),
        texts(recipe, "recipeCategory"),
        texts(recipe, "recipeCuisine"));
  }

  private List<RawRecipe.Group> ingredients(JsonNode recipe) {
    List<String> lines = new ArrayList<>();
    collectTexts(recipe.get("recipeIngredient"), lines);
    List<String> legacy = new ArrayList<>();
    // why: "ingredients" is schema.org's superseded name, "ingredient" data-vocabulary.org's
    collectTexts(firstPresent(recipe, "ingredients", "ingredient"), legacy);
    // why: pages that give both usually put a summary in one and the list in the other
    if (legacy.size() > lines.size()) {
      lines = legacy;
    }
    return lines.isEmpty() ? List.of() : List.of(new RawRecipe.Group(null, lines));
  }

  private List<RawRecipe.Step> instructions(JsonNode value) {
    List<RawRecipe.Step> steps = new ArrayList<>();
    collectSteps(value, null, steps, 0);
    return steps;
  }

  private void collectSteps(JsonNode raw, String section, List<RawRecipe.Step> out, int depth) {
    JsonNode value = resolve.apply(raw);
    if (value == null || value.isNull() || depth > 8) {
      return;
    }
    if (value.isTextual() || value.isNumber()) {
      out.add(RawRecipe.Step.blob(section, value.asText()));
    } else if (value.isArray()) {
      for (JsonNode item : value) {
        collectSteps(item, section, out, depth + 1);
      }
    } else if (value.isObject()) {
      Set<String> types = types(value);
      JsonNode children = firstPresent(value, "itemListElement", "steps", "step");
      if (types.contains("HowToSection") || (children != null && !types.contains("HowToStep"))) {
        // only a section's name titles its steps; an ItemList's name is just "Instructions"
        boolean titled = types.contains("HowToSection") || types.isEmpty();
        String name = titled ? first(texts(value, "name")) : null;
        int before = out.size();
        collectSteps(children, name == null ? section : name, out, depth + 1);
        if (out.size() == before) {
          // a section without children is a step written as a section
          String text = first(texts(value, "text", "description"));
          if (text != null) {
            out.add(RawRecipe.Step.single(section, null, text));
          }
        }
      } else if (types.contains("ListItem") && value.has("item")) {
        collectSteps(value.get("item"), section, out, depth + 1);
      } else {
        String text = first(texts(value, "text", "description"));
        String name = first(texts(value, "name"));
        if (text == null && children != null) {
          List<String> parts = new ArrayList<>();
          collectTexts(children, parts);
          text = parts.isEmpty() ? null : String.join("\n", parts);
        }
        if (text == null) {
          text = name;
          name = null;
        }
        if (text != null) {
          out.add(RawRecipe.Step.single(section, name, text));
        }
      }
    }
  }

  private Map<String, String> nutrition(JsonNode raw) {
    JsonNode value = resolve.apply(raw);
    Map<String, String> nutrition = new LinkedHashMap<>();
    if (value != null && value.isArray() && !value.isEmpty()) {
      value = resolve.apply(value.get(0));
    }
    if (value != null && value.isObject()) {
      value
          .properties()
          .forEach(
              e -> {
                if (!e.getKey().startsWith("@") && !e.getKey().equals("type")) {
                  String text = first(textsOf(e.getValue()));
                  if (text != null && !text.isBlank()) {
                    nutrition.put(e.getKey(), text);
                  }
                }
              });
    }
    return nutrition;
  }

  private List<String> yields(JsonNode... values) {
    List<String> out = new ArrayList<>();
    for (JsonNode raw : values) {
      JsonNode value = resolve.apply(raw);
      if (value == null) {
        continue;
      }
      for (JsonNode item : value.isArray() ? value : List.of(value)) {
        JsonNode v = resolve.apply(item);
        if (v.isObject()) {
          // QuantitativeValue: {"value": 6, "unitText": "servings"}
          String number = first(texts(v, "value", "minValue", "maxValue"));
          String unit = first(texts(v, "unitText"));
          if (number != null) {
            out.add(unit == null ? number : number + " " + unit);
          }
        } else if (!v.isNull() && !v.asText().isBlank()) {
          out.add(v.asText());
        }
      }
      if (!out.isEmpty()) {
        break;
      }
    }
    return out;
  }

  /** Names of persons, organisations or languages given as strings, objects or arrays. */
  private List<String> names(JsonNode... values) {
    List<String> out = new ArrayList<>();
    for (JsonNode raw : values) {
      JsonNode value = resolve.apply(raw);
      if (value == null || !out.isEmpty()) {
        continue;
      }
      for (JsonNode item : value.isArray() ? value : List.of(value)) {
        JsonNode v = resolve.apply(item);
        if (v.isObject()) {
          String name = first(texts(v, "name", "alternateName", "legalName"));
          if (name != null) {
            out.add(name);
          }
        } else if (v.isTextual() && !v.asText().isBlank()) {
          out.add(v.asText());
        }
      }
    }
    return out;
  }

  /** Image URLs from strings, ImageObjects or arrays of either, in page order. */
  private List<String> urls(JsonNode... values) {
    List<String> out = new ArrayList<>();
    for (JsonNode raw : values) {
      JsonNode value = resolve.apply(raw);
      if (value == null) {
        continue;
      }
      for (JsonNode item : value.isArray() ? value : List.of(value)) {
        JsonNode v = resolve.apply(item);
        if (v.isObject()) {
          String url = first(texts(v, "url", "contentUrl", "@id"));
          if (url != null) {
            out.add(url);
          }
        } else if (v.isTextual() && !v.asText().isBlank()) {
          out.add(v.asText());
        }
      }
    }
    return out;
  }

  private List<String> texts(JsonNode node, String... keys) {
    JsonNode value = firstPresent(node, keys);
    return textsOf(value);
  }

  private List<String> textsOf(JsonNode value) {
    List<String> out = new ArrayList<>();
    collectTexts(value, out);
    return out;
  }

  /** Strings, numbers, arrays of them, and the name/text/value of objects, in order. */
  private void collectTexts(JsonNode raw, List<String> out) {
    JsonNode value = resolve.apply(raw);
    if (value == null || value.isNull()) {
      return;
    }
    if (value.isArray()) {
      for (JsonNode item : value) {
        collectTexts(item, out);
      }
    } else if (value.isObject()) {
      JsonNode inner = firstPresent(value, "@value", "text", "name", "value");
      if (inner != null && !inner.isObject()) {
        collectTexts(inner, out);
      }
    } else if (!value.asText().isBlank()) {
      out.add(value.asText());
    }
  }

  private static JsonNode firstPresent(JsonNode node, String... keys) {
    if (node == null || !node.isObject()) {
      return null;
    }
    for (String key : keys) {
      JsonNode value = node.get(key);
      if (value != null && !value.isNull() && !(value.isArray() && value.isEmpty())) {
        return value;
      }
    }
    return null;
  }

  private static String first(List<String> values) {
    return values.isEmpty() ? null : values.get(0);
  }
}
