package dev.kiln.worker.extraction.pipeline;

import dev.kiln.worker.extraction.ArticleMarkdown;
import dev.kiln.worker.extraction.PageExtraction;
import dev.kiln.worker.extraction.PageExtractor;
import dev.kiln.worker.extraction.RecipeParser;
import java.net.URI;
import org.jboss.logging.Logger;

/** Pages made up on the spot that take every extraction path once: JSON-LD, lists, article. */
final class ExtractionWarmUp {

  private static final Logger LOG = Logger.getLogger(ExtractionWarmUp.class);
  private static final URI URL = URI.create("https://warm-up.invalid/page");
  private static final String PROSE =
      "<p>A paragraph of ordinary prose, long enough to look like the body of an article, with"
          + " a <a href=\"/x\">link</a> in it and a few more words after the link.</p>";

  private ExtractionWarmUp() {}

  /**
   * @return the method that read each warm-up page, in order; empty when the warm-up failed
   */
  static java.util.List<String> run() {
    long start = System.nanoTime();
    java.util.List<String> methods = new java.util.ArrayList<>();
    try {
      String jsonLd =
          "<html><head><script type=\"application/ld+json\">{\"@type\":\"Recipe\","
              + "\"name\":\"Warm-up\",\"recipeYield\":\"2\",\"totalTime\":\"PT10M\","
              + "\"recipeIngredient\":[\"1 1/2 cups flour (sifted)\",\"2 EL Zucker\"],"
              + "\"recipeInstructions\":[{\"@type\":\"HowToStep\",\"text\":\"Mix.\"}]}"
              + "</script></head><body>"
              + PROSE
              + "</body></html>";
      String lists =
          "<html><body><h2>Ingredients</h2><ul><li>200 g butter</li><li>2 eggs</li></ul>"
              + "<h2>Method</h2><ol><li>Beat the butter.</li><li>Add the eggs.</li></ol>"
              + "</body></html>";
      String article =
          "<html><body><article><h1>Warm-up</h1>" + PROSE.repeat(12) + "</article></body></html>";
      for (String page : new String[] {jsonLd, lists, article}) {
        PageExtraction e = PageExtractor.extract(page, URL);
        methods.add(e.method());
        if (e.hasRecipe()) {
          RecipeParser.parse(e.recipe(), URL, e.method());
        } else if (e.article() != null) {
          ArticleMarkdown.render(e.article(), URL);
        }
      }
      LOG.debugf("extraction warmed up in %d ms", (System.nanoTime() - start) / 1_000_000);
      return methods;
    } catch (RuntimeException e) {
      // why: a warm-up is an optimisation; a failure here must never stop the worker
      LOG.warnf("extraction warm-up failed: %s", e.toString());
      return java.util.List.of();
    }
  }
}
