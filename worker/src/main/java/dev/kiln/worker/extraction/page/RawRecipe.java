package dev.kiln.worker.extraction.page;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recipe as found on a page, before parsing: strings as the page has them (they may still hold
 * HTML tags, entities or several steps in one string). {@code RecipeParser} turns it into a {@code
 * RecipeDocument}.
 *
 * @param name the recipe's name
 * @param description its description
 * @param authors author names
 * @param language declared language of the recipe or page
 * @param images image URLs, possibly relative
 * @param yields yield values in page order ("4", "4 servings")
 * @param prepTime preparation time as given (ISO 8601 duration or text)
 * @param cookTime cooking time as given
 * @param totalTime total time as given
 * @param ingredients ingredient lines by group
 * @param instructions instruction steps or text blobs, with their section
 * @param nutrition schema.org nutrition property to value
 * @param keywords keywords as given (one string may hold several, comma separated)
 * @param categories recipe categories as given
 * @param cuisines cuisines as given
 */
public record RawRecipe(
    String name,
    String description,
    List<String> authors,
    String language,
    List<String> images,
    List<String> yields,
    String prepTime,
    String cookTime,
    String totalTime,
    List<Group> ingredients,
    List<Step> instructions,
    Map<String, String> nutrition,
    List<String> keywords,
    List<String> categories,
    List<String> cuisines) {

  public RawRecipe {
    authors = copy(authors);
    images = copy(images);
    yields = copy(yields);
    ingredients = copy(ingredients);
    instructions = copy(instructions);
    nutrition = nutrition == null ? Map.of() : new LinkedHashMap<>(nutrition);
    keywords = copy(keywords);
    categories = copy(categories);
    cuisines = copy(cuisines);
  }

  /**
   * Ingredient lines under one heading.
   *
   * @param name the heading, or null
   * @param lines the lines as found
   */
  public record Group(String name, List<String> lines) {
    public Group {
      lines = List.copyOf(lines);
    }
  }

  /**
   * One instruction entry.
   *
   * @param section the section heading it sits under, or null
   * @param name the step's own title (HowToStep name), or null
   * @param text the step, or a blob of several steps still to be split
   * @param single whether the text is known to be one step (a HowToStep, a list item); only hard
   *     line breaks split it then, while a blob also splits at paragraphs and numbers
   */
  public record Step(String section, String name, String text, boolean single) {

    public static Step single(String section, String name, String text) {
      return new Step(section, name, text, true);
    }

    public static Step blob(String section, String text) {
      return new Step(section, null, text, false);
    }
  }

  /** Number of ingredient lines over all groups. */
  public int ingredientCount() {
    return ingredients.stream().mapToInt(g -> g.lines().size()).sum();
  }

  public RawRecipe withIngredients(List<Group> groups) {
    return new RawRecipe(
        name,
        description,
        authors,
        language,
        images,
        yields,
        prepTime,
        cookTime,
        totalTime,
        groups,
        instructions,
        nutrition,
        keywords,
        categories,
        cuisines);
  }

  public RawRecipe withYields(List<String> values) {
    return new RawRecipe(
        name,
        description,
        authors,
        language,
        images,
        values,
        prepTime,
        cookTime,
        totalTime,
        ingredients,
        instructions,
        nutrition,
        keywords,
        categories,
        cuisines);
  }

  public RawRecipe withTimes(String prep, String cook, String total) {
    return new RawRecipe(
        name,
        description,
        authors,
        language,
        images,
        yields,
        prep,
        cook,
        total,
        ingredients,
        instructions,
        nutrition,
        keywords,
        categories,
        cuisines);
  }

  public RawRecipe withInstructions(List<Step> steps) {
    return new RawRecipe(
        name,
        description,
        authors,
        language,
        images,
        yields,
        prepTime,
        cookTime,
        totalTime,
        ingredients,
        steps,
        nutrition,
        keywords,
        categories,
        cuisines);
  }

  /** This recipe, with every field it lacks taken from {@code other}. */
  public RawRecipe orElse(RawRecipe other) {
    if (other == null) {
      return this;
    }
    return new RawRecipe(
        blank(name) ? other.name : name,
        blank(description) ? other.description : description,
        authors.isEmpty() ? other.authors : authors,
        blank(language) ? other.language : language,
        images.isEmpty() ? other.images : images,
        yields.isEmpty() ? other.yields : yields,
        blank(prepTime) ? other.prepTime : prepTime,
        blank(cookTime) ? other.cookTime : cookTime,
        blank(totalTime) ? other.totalTime : totalTime,
        ingredients.isEmpty() ? other.ingredients : ingredients,
        instructions.isEmpty() ? other.instructions : instructions,
        nutrition.isEmpty() ? other.nutrition : nutrition,
        keywords.isEmpty() ? other.keywords : keywords,
        categories.isEmpty() ? other.categories : categories,
        cuisines.isEmpty() ? other.cuisines : cuisines);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
