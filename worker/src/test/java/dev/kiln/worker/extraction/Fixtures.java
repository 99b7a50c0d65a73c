package dev.kiln.worker.extraction;

import dev.kiln.model.extraction.RecipeDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Hand-written HTML fixtures under {@code src/test/resources/extraction/}. */
public final class Fixtures {

  private Fixtures() {}

  public static String html(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/extraction/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Extracts and parses, as the pipeline's two stages do. */
  public static RecipeDocument recipe(String html, String url) {
    URI uri = URI.create(url);
    PageExtraction extraction = PageExtractor.extract(html, uri);
    if (!extraction.hasRecipe()) {
      throw new AssertionError("no recipe found, method " + extraction.method());
    }
    return RecipeParser.parse(extraction.recipe(), uri, extraction.method());
  }
}
