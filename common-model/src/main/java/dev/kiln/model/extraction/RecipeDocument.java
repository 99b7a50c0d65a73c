package dev.kiln.model.extraction;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recipe an extraction job read from one page: the {@code recipe.json} artifact.
 *
 * <p>Lists are never null (empty when the page has nothing); scalar fields are null when unknown.
 *
 * @param v contract version, {@link #VERSION}
 * @param sourceUrl the page the recipe was read from, or null for an upload without a URL
 * @param method where it came from: {@code json-ld}, {@code microdata}, {@code rdfa} or {@code
 *     heuristic}
 * @param title the recipe's name
 * @param description the page's short description of the recipe
 * @param author author name(s), several joined with ", "
 * @param language BCP 47 language tag as the page declares it ("en-US", "de")
 * @param image absolute URL of the main image
 * @param yields what the recipe makes, or null when the page does not say
 * @param times preparation, cooking and total time; its fields are null when unknown
 * @param ingredientGroups ingredients as the page groups them; one group with a null name when it
 *     does not
 * @param ingredients every ingredient in page order (the groups flattened)
 * @param instructions the steps in order
 * @param nutrition schema.org NutritionInformation property ("calories", "fatContent", ...) to the
 *     value as printed ("580 kcal")
 * @param keywords the page's keywords for the recipe
 * @param categories recipe categories ("Dessert", "Dinner")
 * @param cuisines cuisines ("Italian")
 */
public record RecipeDocument(
    int v,
    String sourceUrl,
    String method,
    String title,
    String description,
    String author,
    String language,
    String image,
    Yields yields,
    Times times,
    List<IngredientGroup> ingredientGroups,
    List<Ingredient> ingredients,
    List<Step> instructions,
    Map<String, String> nutrition,
    List<String> keywords,
    List<String> categories,
    List<String> cuisines) {

  public static final int VERSION = 1;

  public RecipeDocument {
    times = times == null ? new Times(null, null, null) : times;
    ingredientGroups = copy(ingredientGroups);
    ingredients = copy(ingredients);
    instructions = copy(instructions);
    // why: Map.copyOf does not keep the page's order, and readers show nutrition in that order
    nutrition =
        nutrition == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(nutrition));
    keywords = copy(keywords);
    categories = copy(categories);
    cuisines = copy(cuisines);
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /**
   * What a recipe makes.
   *
   * @param servings the leading number of the yield ("4 servings" gives 4; for a range "4 to 6" the
   *     upper end), or null when the text has no number
   * @param text the yield as the page words it ("12 cookies")
   */
  public record Yields(Integer servings, String text) {}

  /**
   * Times in whole minutes; each is null when unknown. {@code totalMinutes} is prep + cook when the
   * page gives no total.
   *
   * @param prepMinutes preparation time
   * @param cookMinutes cooking time
   * @param totalMinutes total time
   */
  public record Times(Integer prepMinutes, Integer cookMinutes, Integer totalMinutes) {}

  /**
   * Ingredients under one heading ("For the sauce").
   *
   * @param name the heading, or null for ingredients without one
   * @param ingredients the ingredients in page order
   */
  public record IngredientGroup(String name, List<Ingredient> ingredients) {

    public IngredientGroup {
      ingredients = copy(ingredients);
    }
  }

  /**
   * One instruction step.
   *
   * @param section title of the section the step belongs to (schema.org HowToSection name), or null
   * @param title the step's own short title when the page gives one that the text does not already
   *     start with (schema.org HowToStep name, "Whisk"), or null
   * @param text what to do
   */
  public record Step(String section, String title, String text) {}
}
