package dev.kiln.worker.extraction;

import dev.kiln.model.extraction.Ingredient;
import dev.kiln.model.extraction.RecipeDocument;
import dev.kiln.worker.extraction.page.RawRecipe;
import dev.kiln.worker.extraction.parse.Durations;
import dev.kiln.worker.extraction.parse.IngredientParser;
import dev.kiln.worker.extraction.parse.InstructionSplitter;
import dev.kiln.worker.extraction.parse.TextCleaner;
import dev.kiln.worker.extraction.parse.YieldParser;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The parsing stage: a {@link RawRecipe} as found on a page becomes a {@link RecipeDocument}. */
public final class RecipeParser {

  private RecipeParser() {}

  /**
   * @param raw the recipe as extracted
   * @param pageUrl the page's URL, to resolve relative image URLs; may be null
   * @param method how the recipe was found ("json-ld", "microdata", "rdfa", "heuristic")
   */
  public static RecipeDocument parse(RawRecipe raw, URI pageUrl, String method) {
    List<RecipeDocument.IngredientGroup> groups = new ArrayList<>();
    List<Ingredient> flat = new ArrayList<>();
    for (RawRecipe.Group group : raw.ingredients()) {
      List<Ingredient> ingredients = new ArrayList<>();
      for (String entry : group.lines()) {
        for (String line : TextCleaner.lines(entry)) {
          ingredients.add(IngredientParser.parse(IngredientParser.tidyLine(line)));
        }
      }
      if (!ingredients.isEmpty()) {
        groups.add(new RecipeDocument.IngredientGroup(heading(group.name()), ingredients));
        flat.addAll(ingredients);
      }
    }
    Integer prep = positive(Durations.minutes(TextCleaner.clean(raw.prepTime())));
    Integer cook = positive(Durations.minutes(TextCleaner.clean(raw.cookTime())));
    Integer total = positive(Durations.minutes(TextCleaner.clean(raw.totalTime())));
    int parts = (prep == null ? 0 : prep) + (cook == null ? 0 : cook);
    int longest = Math.max(prep == null ? 0 : prep, cook == null ? 0 : cook);
    // why: a total shorter than one of its parts is a publishing error (a total below prep +
    // cook is not: steps may overlap), so the parts are the better figure then
    if (parts > 0 && (total == null || total < longest)) {
      total = parts;
    }
    return new RecipeDocument(
        RecipeDocument.VERSION,
        pageUrl == null ? null : pageUrl.toString(),
        method,
        TextCleaner.clean(raw.name()),
        TextCleaner.clean(raw.description()),
        join(raw.authors()),
        TextCleaner.clean(raw.language()),
        image(raw.images(), pageUrl),
        YieldParser.parse(raw.yields()),
        new RecipeDocument.Times(prep, cook, total),
        groups,
        flat,
        steps(raw.instructions()),
        nutrition(raw.nutrition()),
        list(raw.keywords()),
        list(raw.categories()),
        list(raw.cuisines()));
  }

  static List<RecipeDocument.Step> steps(List<RawRecipe.Step> raw) {
    List<RecipeDocument.Step> steps = new ArrayList<>();
    for (RawRecipe.Step step : raw) {
      String section = heading(step.section());
      List<String> texts =
          step.single()
              ? InstructionSplitter.splitHardBreaks(step.text())
              : InstructionSplitter.split(step.text());
      String title = TextCleaner.clean(step.name());
      for (int i = 0; i < texts.size(); i++) {
        String text = texts.get(i);
        steps.add(new RecipeDocument.Step(section, i == 0 ? informative(title, text) : null, text));
      }
    }
    return steps;
  }

  /**
   * A step's title as the page names it, unless it is a "Step 3" label or the text already starts
   * with it (pages fill the name with the text, or a cut-off copy of it).
   */
  static String informative(String title, String text) {
    if (title == null || InstructionSplitter.isStepLabel(title)) {
      return null;
    }
    String t = title.toLowerCase(Locale.ROOT).replaceAll("[.…\\s]+$", "");
    if (t.isEmpty() || text.toLowerCase(Locale.ROOT).startsWith(t)) {
      return null;
    }
    return title;
  }

  private static String heading(String name) {
    return TextCleaner.clean(name);
  }

  private static String image(List<String> images, URI pageUrl) {
    for (String candidate : images) {
      String url = TextCleaner.clean(candidate);
      if (url == null || url.startsWith("data:")) {
        continue;
      }
      try {
        URI uri =
            pageUrl == null
                ? URI.create(url.replace(" ", "%20"))
                : pageUrl.resolve(url.replace(" ", "%20"));
        if (uri.isAbsolute()) {
          return uri.toString();
        }
      } catch (IllegalArgumentException e) {
        // not a usable URL; try the next image
      }
    }
    return null;
  }

  private static Map<String, String> nutrition(Map<String, String> raw) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach(
        (key, value) -> {
          String text = TextCleaner.clean(value);
          if (text != null) {
            out.put(key, text);
          }
        });
    return out;
  }

  /** Values that may hold several comma separated items, split, trimmed and deduplicated. */
  private static List<String> list(List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String value : values) {
      String text = TextCleaner.clean(value);
      if (text != null) {
        for (String item : text.split("\\s*[,;]\\s*")) {
          if (!item.isBlank()) {
            out.add(item.strip());
          }
        }
      }
    }
    return List.copyOf(out);
  }

  private static String join(List<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : names) {
      String text = TextCleaner.clean(name);
      if (text != null) {
        out.add(text);
      }
    }
    return out.isEmpty() ? null : String.join(", ", out);
  }

  private static Integer positive(Integer minutes) {
    return minutes == null || minutes <= 0 ? null : minutes;
  }
}
