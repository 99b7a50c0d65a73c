package dev.kiln.worker.extraction;

import dev.kiln.worker.extraction.page.ArticleContent;
import dev.kiln.worker.extraction.page.RawRecipe;
import java.util.List;

/**
 * What the extraction stage found on a page: a recipe, else the page's main article, else nothing.
 *
 * @param method {@code json-ld}, {@code microdata}, {@code rdfa} or {@code heuristic} when a recipe
 *     was found, {@code article} for an article, {@code none} otherwise
 * @param recipe the recipe as found, or null
 * @param article the main article, or null (set only when there is no recipe)
 * @param warnings what went wrong on the way without stopping extraction (unreadable JSON-LD, ...)
 */
public record PageExtraction(
    String method, RawRecipe recipe, ArticleContent article, List<String> warnings) {

  public static final String JSON_LD = "json-ld";
  public static final String MICRODATA = "microdata";
  public static final String RDFA = "rdfa";
  public static final String HEURISTIC = "heuristic";
  public static final String ARTICLE = "article";
  public static final String NONE = "none";

  public PageExtraction {
    warnings = List.copyOf(warnings);
  }

  public boolean hasRecipe() {
    return recipe != null;
  }
}
