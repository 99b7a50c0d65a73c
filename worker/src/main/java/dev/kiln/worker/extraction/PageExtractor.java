package dev.kiln.worker.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.worker.extraction.page.ArticleContent;
import dev.kiln.worker.extraction.page.ArticleExtractor;
import dev.kiln.worker.extraction.page.EmbeddedItems;
import dev.kiln.worker.extraction.page.HeuristicRecipeReader;
import dev.kiln.worker.extraction.page.JsonLdReader;
import dev.kiln.worker.extraction.page.PageFacts;
import dev.kiln.worker.extraction.page.PageMeta;
import dev.kiln.worker.extraction.page.RawRecipe;
import dev.kiln.worker.extraction.page.VisibleIngredients;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * The extraction stage: finds a recipe on an HTML page, preferring schema.org structured data
 * (JSON-LD, then microdata, then RDFa) over heuristics, and falls back to the page's main article.
 *
 * <p>Fields the preferred source lacks are filled from the next one, so a JSON-LD recipe without
 * instructions still gets the page's visible instructions.
 */
public final class PageExtractor {

  private PageExtractor() {}

  /** Extracts from decoded HTML. */
  public static PageExtraction extract(String html, URI pageUrl) {
    return extract(Jsoup.parse(html, baseUri(pageUrl)), pageUrl);
  }

  /**
   * Extracts from HTML bytes, taking the charset from a byte order mark or the page's meta
   * declaration, else UTF-8.
   */
  public static PageExtraction extract(byte[] html, URI pageUrl) {
    try {
      return extract(Jsoup.parse(new ByteArrayInputStream(html), null, baseUri(pageUrl)), pageUrl);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PageExtraction extract(Document document, URI pageUrl) {
    List<String> warnings = new ArrayList<>();
    JsonLdReader jsonLd = new JsonLdReader(document);
    warnings.addAll(jsonLd.warnings());
    List<Source> sources = new ArrayList<>();
    sources.add(source(PageExtraction.JSON_LD, () -> bestRecipe(jsonLd), warnings));
    sources.add(
        source(PageExtraction.MICRODATA, () -> EmbeddedItems.microdata(document), warnings));
    sources.add(source(PageExtraction.RDFA, () -> EmbeddedItems.rdfa(document), warnings));

    Source primary = null;
    for (Source source : sources) {
      if (source.recipe != null && hasBody(source.recipe)) {
        primary = source;
        break;
      }
    }
    RawRecipe heuristic = null;
    if (primary == null || !isComplete(primary.recipe)) {
      heuristic = guarded("heuristics", () -> HeuristicRecipeReader.read(document), null, warnings);
      // why: without structured data only both parts make a recipe; an article with a
      // "Method" section alone is still an article
      if (primary == null && heuristic != null && isComplete(heuristic)) {
        primary = new Source(PageExtraction.HEURISTIC, heuristic);
      }
    }
    // JSON-LD outside script blocks only fills in what the page itself does not show
    RawRecipe metaJsonLd = bestRecipe(new JsonLdReader(document, true));
    if (primary == null && metaJsonLd != null && hasBody(metaJsonLd)) {
      primary = new Source(PageExtraction.JSON_LD, metaJsonLd);
    }
    if (primary == null) {
      ArticleContent article =
          guarded("article", () -> ArticleExtractor.extract(document, jsonLd), null, warnings);
      return article == null
          ? new PageExtraction(PageExtraction.NONE, null, null, warnings)
          : new PageExtraction(PageExtraction.ARTICLE, null, article, warnings);
    }
    RawRecipe recipe = primary.recipe;
    for (Source source : sources) {
      if (source != primary) {
        recipe = recipe.orElse(source.recipe);
      }
    }
    recipe = recipe.orElse(heuristic).orElse(metaJsonLd);
    RawRecipe merged = recipe;
    recipe =
        guarded(
            "ingredient alignment",
            () -> VisibleIngredients.align(document, merged),
            merged,
            warnings);
    recipe = recipe.orElse(PageMeta.read(document));
    if (recipe.yields().isEmpty()) {
      String yields = PageFacts.yields(document);
      if (yields != null) {
        recipe = recipe.withYields(List.of(yields));
      }
    }
    if (recipe.prepTime() == null && recipe.cookTime() == null && recipe.totalTime() == null) {
      String[] times = PageFacts.times(document);
      recipe = recipe.withTimes(times[0], times[1], times[2]);
    }
    return new PageExtraction(primary.method, recipe, null, warnings);
  }

  private static Source source(String method, Supplier<RawRecipe> reader, List<String> warnings) {
    return new Source(method, guarded(method, reader, null, warnings));
  }

  /**
   * Runs one reader; a failure on an odd page costs that reader's contribution and a warning, not
   * the whole extraction.
   */
  private static <T> T guarded(String what, Supplier<T> step, T fallback, List<String> warnings) {
    try {
      return step.get();
    } catch (RuntimeException | StackOverflowError e) {
      warnings.add(what + " failed: " + e);
      return fallback;
    }
  }

  /** Of several Recipe objects on a page, the one with the most ingredients and steps. */
  private static RawRecipe bestRecipe(JsonLdReader jsonLd) {
    RawRecipe best = null;
    for (JsonNode node : jsonLd.objectsOfType("Recipe")) {
      RawRecipe recipe = jsonLd.mapper().map(node);
      if (best == null || size(recipe) > size(best)) {
        best = recipe;
      }
    }
    return best;
  }

  private static int size(RawRecipe recipe) {
    return recipe.ingredientCount() + recipe.instructions().size();
  }

  private static boolean hasBody(RawRecipe recipe) {
    return recipe.ingredientCount() > 0 || !recipe.instructions().isEmpty();
  }

  private static boolean isComplete(RawRecipe recipe) {
    return recipe.ingredientCount() > 0 && !recipe.instructions().isEmpty();
  }

  private static String baseUri(URI pageUrl) {
    return pageUrl == null ? "" : pageUrl.toString();
  }

  private record Source(String method, RawRecipe recipe) {}
}
