package dev.kiln.worker.extraction.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.json.KilnJson;
import dev.kiln.outbound.UrlFetcher;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.testing.PipelineHarness;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Extraction jobs on uploaded pages through the real pipeline runner. */
class ExtractionPipelineTest {

  private static final String RECIPE_PAGE =
      """
      <!doctype html><html lang="en"><head><title>Lemon curd</title>
      <script type="application/ld+json">
      {"@context":"https://schema.org","@type":"Recipe","name":"Lemon curd",
       "recipeYield":"2 jars","totalTime":"PT25M",
       "recipeIngredient":["4 unwaxed lemons","200 g caster sugar","100 g butter, diced","3 eggs"],
       "recipeInstructions":[{"@type":"HowToStep","text":"Zest and juice the lemons."},
        {"@type":"HowToStep","text":"Stir everything over a low heat until thick."}]}
      </script></head>
      <body><article><h1>Lemon curd</h1><p>Sharp and sweet, ready in under half an hour, and
      better than anything sold in a jar at the shop around the corner from the bakery.</p>
      <p>Use unwaxed lemons so the zest carries no coating, and keep the heat low: eggs that
      scramble make a grainy curd that no amount of sieving will rescue afterwards.</p>
      <p>Kept in a sterilised jar in the fridge it lasts two weeks, if it is not eaten by the
      spoonful long before that on toast, scones or a simple sponge cake.</p></article></body></html>
      """;

  private static final String ESSAY_PAGE =
      """
      <!doctype html><html lang="en"><head><title>On tea</title></head><body>
      <nav><a href="/">Home</a> <a href="/more">More</a></nav>
      <article><h1>On tea</h1>
      <p>Tea was drunk in China long before it reached Europe, and every culture that took it up
      made its own rules for brewing, serving and sharing it with guests and strangers.</p>
      <p>Water temperature matters more than most people think: green tea turns bitter in boiling
      water, while black tea needs the heat to open up and release its darker flavours.</p>
      <p>Good tea needs little else. A warm pot, fresh water and a few minutes of patience will do
      more for the cup than any gadget sold for the purpose in a kitchen shop.</p>
      </article><footer>Copyright notice and privacy links</footer></body></html>
      """;

  private final PipelineHarness harness =
      new PipelineHarness(new ExtractionPipeline(new PageFetcher(UrlFetcher.DISABLED, 1 << 20)));

  private RunOutcome run(String prefer, String html, String contentType) {
    ObjectNode params = PipelineHarness.params().put("prefer", prefer);
    return harness.run(
        params,
        List.of(
            new PipelineHarness.Input(
                "page.html", html.getBytes(StandardCharsets.UTF_8), contentType)));
  }

  private JsonNode json(String artifact) throws Exception {
    return KilnJson.mapper().readTree(harness.artifact(artifact));
  }

  @Test
  void uploadedRecipePageBecomesRecipeJsonWithTheSourceAndMetadata() throws Exception {
    RunOutcome outcome = run("auto", RECIPE_PAGE, "text/html");

    assertThat(outcome).as("events %s", harness.events).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(harness.artifactNames())
        .containsExactlyInAnyOrder("source.html", "recipe.json", "metadata.json");
    JsonNode recipe = json("recipe.json");
    assertThat(recipe.path("title").asText()).isEqualTo("Lemon curd");
    assertThat(recipe.path("method").asText()).isEqualTo("json-ld");
    assertThat(recipe.at("/times/totalMinutes").asInt()).isEqualTo(25);
    assertThat(recipe.at("/yields/servings").asInt()).isEqualTo(2);
    assertThat(recipe.at("/ingredients/2/note").asText()).isEqualTo("diced");
    assertThat(recipe.path("instructions")).hasSize(2);
    assertThat(new String(harness.artifact("source.html"), StandardCharsets.UTF_8))
        .isEqualTo(RECIPE_PAGE);
    JsonNode metadata = json("metadata.json");
    assertThat(metadata.path("method").asText()).isEqualTo("json-ld");
    assertThat(metadata.at("/source/charset").asText()).isEqualTo("UTF-8");
    assertThat(metadata.path("stageMillis").fieldNames())
        .toIterable()
        .containsExactly("fetch", "extraction", "parsing", "upload");
  }

  @Test
  void uploadedEssayBecomesMarkdownWithFrontMatter() throws Exception {
    RunOutcome outcome = run("auto", ESSAY_PAGE, "text/html; charset=utf-8");

    assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(harness.artifactNames()).contains("article.md").doesNotContain("recipe.json");
    String markdown = new String(harness.artifact("article.md"), StandardCharsets.UTF_8);
    assertThat(markdown).startsWith("---\n").contains("title: \"On tea\"");
    assertThat(markdown).contains("Water temperature").doesNotContain("Copyright");
    assertThat(json("metadata.json").path("method").asText()).isEqualTo("article");
  }

  @Test
  void askingForARecipeOnAnEssayFailsWithExtractionEmpty() {
    RunOutcome outcome = run("recipe", ESSAY_PAGE, "text/html");

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    EventPayload.JobFailed failure = harness.failure();
    assertThat(failure.code()).isEqualTo("EXTRACTION_EMPTY");
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.stage()).isEqualTo("parsing");
  }

  @Test
  void askingForTheArticleOfARecipePageWritesMarkdownOnly() {
    RunOutcome outcome = run("article", RECIPE_PAGE, "text/html");

    assertThat(outcome).isEqualTo(RunOutcome.SUCCEEDED);
    assertThat(harness.artifactNames()).contains("article.md").doesNotContain("recipe.json");
    assertThat(new String(harness.artifact("article.md"), StandardCharsets.UTF_8))
        .contains("unwaxed lemons");
  }

  @Test
  void anUploadThatIsNotMarkupIsAnUnsupportedContentType() {
    RunOutcome outcome = run("auto", "just some words, no tags at all", "text/html");

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(harness.failure().code()).isEqualTo("UNSUPPORTED_CONTENT_TYPE");
    assertThat(harness.failure().stage()).isEqualTo("fetch");
  }

  @Test
  void aPageWithNothingToReadFailsWithExtractionEmpty() {
    RunOutcome outcome =
        run("auto", "<html><body><nav><a href=/>Home</a></nav></body></html>", "text/html");

    assertThat(outcome).isEqualTo(RunOutcome.FAILED);
    assertThat(harness.failure().code()).isEqualTo("EXTRACTION_EMPTY");
  }
}
