package dev.kiln.worker.extraction.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.extraction.RecipeDocument;
import dev.kiln.model.json.KilnJson;
import dev.kiln.worker.extraction.ArticleMarkdown;
import dev.kiln.worker.extraction.PageExtraction;
import dev.kiln.worker.extraction.PageExtractor;
import dev.kiln.worker.extraction.RecipeParser;
import dev.kiln.worker.extraction.page.ArticleContent;
import dev.kiln.worker.extraction.page.ArticleExtractor;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.pipeline.StageFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.Jsoup;

/**
 * State of one run of an extraction job, shared by its stages. A resumed run that skipped stages
 * computes their results again in memory (a page is cheap to re-read compared with storing parse
 * trees), silently, before the first stage it runs.
 */
final class ExtractionRun {

  static final String EXTRACTION_EMPTY = "EXTRACTION_EMPTY";
  static final String SOURCE = "source.html";
  static final String RECIPE = "recipe.json";
  static final String ARTICLE = "article.md";
  static final String METADATA = "metadata.json";

  private final PageFetcher pages;
  private final Set<Step> done = EnumSet.noneOf(Step.class);
  private final Map<String, Long> stageMillis = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private String prefer;
  private PageSource page;
  private PageExtraction extraction;
  private RecipeDocument recipe;
  private String article;

  ExtractionRun(PageFetcher pages) {
    this.pages = pages;
  }

  void run(Step step, StageContext ctx) throws Exception {
    for (Step earlier : Step.values()) {
      if (earlier.ordinal() < step.ordinal() && !done.contains(earlier)) {
        execute(earlier, ctx, false);
      }
    }
    execute(step, ctx, true);
  }

  private void execute(Step step, StageContext ctx, boolean live) throws Exception {
    long start = System.nanoTime();
    switch (step) {
      case FETCH -> fetch(ctx, live);
      case EXTRACTION -> extract();
      case PARSING -> parse();
      case UPLOAD -> upload(ctx, start);
    }
    if (live) {
      ctx.progress(100, step.stageName() + " done");
    }
    stageMillis.put(step.stageName(), (System.nanoTime() - start) / 1_000_000);
    done.add(step);
  }

  private void fetch(StageContext ctx, boolean live) throws Exception {
    prefer = ctx.params().path("prefer").asText("auto");
    if (ctx.job().inputs() == null || ctx.job().inputs().size() != 1) {
      throw new StageFailure("INVALID_INPUTS", "extraction takes exactly one page", false);
    }
    page = pages.fetch(ctx.job().inputs().getFirst(), ctx);
    if (live) {
      // why: the page as it was seen is what every later result can be checked against
      Path file = ctx.workDir().resolve(SOURCE);
      Files.write(file, page.bytes());
      ctx.writeArtifact(SOURCE, page.contentType() + "; charset=" + page.charset().name(), file);
    }
  }

  private void extract() {
    if (prefer.equals("article")) {
      // why: a recipe page read as an article is what a content-analysis tool asked for
      ArticleContent content =
          ArticleExtractor.extract(Jsoup.parse(page.html(), page.url().toString()));
      extraction =
          new PageExtraction(
              content == null ? PageExtraction.NONE : PageExtraction.ARTICLE,
              null,
              content,
              List.of());
    } else {
      extraction = PageExtractor.extract(page.html(), page.url());
    }
    warnings.addAll(extraction.warnings());
  }

  private void parse() throws StageFailure {
    if (extraction.hasRecipe()) {
      recipe = RecipeParser.parse(extraction.recipe(), page.url(), extraction.method());
    }
    if (extraction.article() != null) {
      article = ArticleMarkdown.render(extraction.article(), page.url());
    }
    if (prefer.equals("recipe") && recipe == null) {
      throw new StageFailure(
          EXTRACTION_EMPTY, "no recipe was found on the page (structured data or lists)", false);
    }
    if (recipe == null && article == null) {
      throw new StageFailure(
          EXTRACTION_EMPTY, "the page holds neither a recipe nor readable article text", false);
    }
  }

  private void upload(StageContext ctx, long start) throws Exception {
    Path dir = ctx.workDir();
    if (recipe != null) {
      Path file = dir.resolve(RECIPE);
      Files.write(
          file, KilnJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(recipe));
      ctx.writeArtifact(RECIPE, "application/json", file);
      ctx.progress(40, RECIPE + " uploaded");
    }
    if (article != null) {
      Path file = dir.resolve(ARTICLE);
      Files.writeString(file, article, StandardCharsets.UTF_8);
      ctx.writeArtifact(ARTICLE, "text/markdown; charset=utf-8", file);
      ctx.progress(80, ARTICLE + " uploaded");
    }
    stageMillis.put(Step.UPLOAD.stageName(), (System.nanoTime() - start) / 1_000_000);
    Path file = dir.resolve(METADATA);
    Files.write(
        file, KilnJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata()));
    ctx.writeArtifact(METADATA, "application/json", file);
  }

  /** Which method found the data, the page's facts, timings and warnings. */
  private ObjectNode metadata() {
    ObjectNode root = KilnJson.mapper().createObjectNode();
    root.put("method", extraction.method());
    root.put("prefer", prefer);
    root.put("recipe", recipe != null);
    root.put("article", article != null);
    ObjectNode source = root.putObject("source");
    source.put("url", page.url().toString());
    source.put("bytes", page.bytes().length);
    source.put("contentType", page.contentType());
    source.put("charset", page.charset().name());
    ObjectNode timings = root.putObject("stageMillis");
    stageMillis.forEach(timings::put);
    var list = root.putArray("warnings");
    warnings.forEach(list::add);
    return root;
  }
}
