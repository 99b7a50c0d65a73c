package dev.kiln.worker.extraction;

import static dev.kiln.worker.extraction.Fixtures.html;
import static dev.kiln.worker.extraction.Fixtures.recipe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.extraction.Ingredient;
import dev.kiln.model.extraction.RecipeDocument;
import dev.kiln.model.extraction.RecipeDocument.Step;
import dev.kiln.worker.extraction.page.ArticleContent;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageExtractorTest {

  private static final String PLUM = "https://kitchen.example/plum-cake/";

  @Test
  void jsonLdGraphRecipeResolvesReferencesAndTypeLists() {
    RecipeDocument doc = recipe(html("jsonld-graph.html"), PLUM);

    assertThat(doc.method()).isEqualTo("json-ld");
    assertThat(doc.title()).isEqualTo("Plum & almond cake");
    assertThat(doc.description()).isEqualTo("A soft cake with plums.");
    assertThat(doc.author()).isEqualTo("Ada Baker");
    assertThat(doc.language()).isEqualTo("en-GB");
    assertThat(doc.image()).isEqualTo("https://kitchen.example/img/plum-cake.jpg");
    assertThat(doc.sourceUrl()).isEqualTo(PLUM);
  }

  @Test
  void jsonLdIngredientsLoseTagsAndEntities() {
    RecipeDocument doc = recipe(html("jsonld-graph.html"), PLUM);

    assertThat(doc.ingredients())
        .extracting(Ingredient::raw)
        .containsExactly("1 ½ cups flour", "2 eggs", "150 g butter (soft)", "6 plums, halved");
    assertThat(doc.ingredients().get(0).amount()).isEqualTo(Ingredient.Amount.of(1.5));
    assertThat(doc.ingredientGroups()).hasSize(1);
  }

  @Test
  void howToSectionsBecomeStepSectionsAndRedundantStepNamesAreDropped() {
    RecipeDocument doc = recipe(html("jsonld-graph.html"), PLUM);

    assertThat(doc.instructions())
        .containsExactly(
            new Step("For the batter", "Cream", "Beat the butter with the sugar until pale."),
            new Step("For the batter", null, "Beat in the eggs, then fold in the flour."),
            new Step("To finish", null, "Top with the plums. Bake for 45 minutes."));
  }

  @Test
  void jsonLdTimesYieldsAndMetadataAreParsed() {
    RecipeDocument doc = recipe(html("jsonld-graph.html"), PLUM);

    assertThat(doc.times()).isEqualTo(new RecipeDocument.Times(20, 45, 65));
    assertThat(doc.yields()).isEqualTo(new RecipeDocument.Yields(8, "8 slices"));
    assertThat(doc.nutrition())
        .containsEntry("calories", "310 kcal")
        .containsEntry("fatContent", "14 g");
    assertThat(doc.keywords()).containsExactly("cake", "plums", "baking");
    assertThat(doc.categories()).containsExactly("Dessert");
    assertThat(doc.cuisines()).containsExactly("British");
  }

  @Test
  void recipeNestedAsMainEntityIsFound() {
    String page =
        script(
            """
            {"@context": "https://schema.org", "@type": "WebPage",
             "mainEntity": {"@type": "Recipe", "name": "Toast",
               "recipeIngredient": ["2 slices bread"], "recipeInstructions": "Toast the bread."}}
            """);

    RecipeDocument doc = recipe(page, "https://example.org/toast");

    assertThat(doc.title()).isEqualTo("Toast");
    assertThat(doc.instructions()).extracting(Step::text).containsExactly("Toast the bread.");
  }

  @Test
  void instructionsGivenAsOneStringAreSplitIntoSteps() {
    String page =
        script(
            """
            {"@type": "Recipe", "name": "Tea", "recipeIngredient": ["1 tea bag", "water"],
             "recipeInstructions": "Boil the water.<br/>Pour it over the bag.\\nWait 3 minutes."}
            """);

    assertThat(recipe(page, "https://example.org/tea").instructions())
        .extracting(Step::text)
        .containsExactly("Boil the water.", "Pour it over the bag.", "Wait 3 minutes.");
  }

  @Test
  void anUnreadableJsonLdBlockIsReportedAndTheNextOneStillRead() {
    String page =
        "<script type=\"application/ld+json\">{\"@type\": \"Recipe\", oops</script>"
            + script(
                """
                {"@type": "Recipe", "name": "Soup", "recipeIngredient": ["1 l stock"],
                 "recipeInstructions": [{"@type": "HowToStep", "text": "Heat the stock."}]}
                """);

    PageExtraction extraction = PageExtractor.extract(page, URI.create("https://example.org/s"));

    assertThat(extraction.method()).isEqualTo("json-ld");
    assertThat(extraction.recipe().name()).isEqualTo("Soup");
    assertThat(extraction.warnings()).singleElement().asString().contains("unreadable JSON-LD");
  }

  @Test
  void ofSeveralRecipesTheFullestIsTaken() {
    String page =
        script(
            """
            [{"@type": "Recipe", "name": "Teaser", "recipeIngredient": ["1 egg"]},
             {"@type": "Recipe", "name": "Omelette", "recipeIngredient": ["3 eggs", "1 tbsp butter"],
              "recipeInstructions": ["Beat the eggs.", "Fry in butter."]}]
            """);

    assertThat(recipe(page, "https://example.org/o").title()).isEqualTo("Omelette");
  }

  @Test
  void totalTimeIsPrepPlusCookWhenMissingOrShorterThanOneOfItsParts() {
    String page =
        script(
            """
            {"@type": "Recipe", "name": "Stew", "recipeIngredient": ["1 kg beef"],
             "recipeInstructions": "Stew it.", "prepTime": "PT15M", "cookTime": "PT2H",
             "totalTime": "PT20M", "recipeYield": 4}
            """);

    RecipeDocument doc = recipe(page, "https://example.org/stew");

    assertThat(doc.times()).isEqualTo(new RecipeDocument.Times(15, 120, 135));
    assertThat(doc.yields().servings()).isEqualTo(4);
  }

  @Test
  void aTotalBelowPrepPlusCookStandsWhenStepsOverlap() {
    String page =
        script(
            """
            {"@type": "Recipe", "name": "Rice", "recipeIngredient": ["1 cup rice"],
             "recipeInstructions": "Cook it.", "prepTime": "PT10M", "cookTime": "PT30M",
             "totalTime": "PT35M"}
            """);

    assertThat(recipe(page, "https://example.org/rice").times().totalMinutes()).isEqualTo(35);
  }

  @Test
  void missingStructuredInstructionsComeFromThePage() {
    String page =
        script(
                """
                {"@type": "Recipe", "name": "Lemonade", "recipeIngredient": ["2 lemons", "1 l water"]}
                """)
            + "<h2>Directions</h2><ol><li>Squeeze the lemons.</li><li>Stir into the water.</li></ol>";

    RecipeDocument doc = recipe(page, "https://example.org/l");

    assertThat(doc.method()).isEqualTo("json-ld");
    assertThat(doc.instructions())
        .extracting(Step::text)
        .containsExactly("Squeeze the lemons.", "Stir into the water.");
  }

  @Test
  void microdataRecipeIsRead() {
    RecipeDocument doc = recipe(html("microdata.html"), "https://suppen.example/linsen");

    assertThat(doc.method()).isEqualTo("microdata");
    assertThat(doc.title()).isEqualTo("Linsensuppe");
    assertThat(doc.author()).isEqualTo("Grete Koch");
    assertThat(doc.image()).isEqualTo("https://suppen.example/bilder/linsensuppe.jpg");
    assertThat(doc.language()).isEqualTo("de");
    assertThat(doc.yields()).isEqualTo(new RecipeDocument.Yields(4, "4 Portionen"));
    assertThat(doc.times().totalMinutes()).isEqualTo(50);
    assertThat(doc.ingredients())
        .extracting(Ingredient::raw)
        .containsExactly("250 g Linsen", "1 Bund Suppengrün", "2 EL Essig");
    assertThat(doc.ingredients())
        .extracting(Ingredient::unit)
        .containsExactly("gram", "bunch", "tablespoon");
    assertThat(doc.instructions())
        .extracting(Step::text)
        .containsExactly(
            "Linsen waschen und abtropfen lassen.",
            "Mit Suppengrün 40 Minuten köcheln, mit Essig abschmecken.");
  }

  @Test
  void rdfaRecipeIsRead() {
    RecipeDocument doc = recipe(html("rdfa.html"), "https://cuisine.example/crepes");

    assertThat(doc.method()).isEqualTo("rdfa");
    assertThat(doc.title()).isEqualTo("Crêpes faciles");
    assertThat(doc.author()).isEqualTo("Jeanne Dupont");
    assertThat(doc.yields()).isEqualTo(new RecipeDocument.Yields(12, "12 crêpes"));
    assertThat(doc.times().totalMinutes()).isEqualTo(60);
    assertThat(doc.ingredients())
        .extracting(Ingredient::raw)
        .containsExactly("250 g de farine", "4 œufs", "1 pincée de sel");
    assertThat(doc.ingredients().get(0).food()).isEqualTo("farine");
    assertThat(doc.instructions())
        .extracting(Step::text)
        .containsExactly(
            "Mélanger la farine et les œufs.", "Laisser reposer une heure, puis cuire.");
  }

  @Test
  void englishPageWithoutStructuredDataIsReadByItsHeadings() {
    RecipeDocument doc = recipe(html("heuristic-en.html"), "https://blog.example/crumble");

    assertThat(doc.method()).isEqualTo("heuristic");
    assertThat(doc.title()).isEqualTo("Apple crumble");
    assertThat(doc.language()).isEqualTo("en-US");
    assertThat(doc.image()).isEqualTo("https://blog.example/apple.jpg");
    assertThat(doc.yields().servings()).isEqualTo(6);
    assertThat(doc.ingredientGroups())
        .extracting(RecipeDocument.IngredientGroup::name)
        .containsExactly("For the filling", "For the topping");
    assertThat(doc.ingredients())
        .extracting(Ingredient::raw)
        .containsExactly(
            "6 apples, peeled and sliced",
            "2 tbsp sugar",
            "150 g flour",
            "100 g cold butter (cubed)",
            "75 g brown sugar");
    assertThat(doc.instructions())
        .extracting(Step::text)
        .containsExactly(
            "Heat the oven to 180°C.",
            "Put the apples and sugar in a dish.",
            "Rub the butter into the flour and sugar, scatter over and bake for 35 minutes.");
  }

  @Test
  void germanPageWithoutStructuredDataIsReadByItsHeadings() {
    RecipeDocument doc = recipe(html("heuristic-de.html"), "https://kochen.example/salat");

    assertThat(doc.method()).isEqualTo("heuristic");
    assertThat(doc.title()).isEqualTo("Schwäbischer Kartoffelsalat");
    assertThat(doc.yields().servings()).isEqualTo(4);
    assertThat(doc.ingredients())
        .extracting(Ingredient::raw)
        .containsExactly(
            "1 kg festkochende Kartoffeln",
            "1 Zwiebel",
            "250 ml Brühe",
            "3 EL Essig",
            "1 Prise Zucker");
    assertThat(doc.instructions())
        .extracting(Step::text)
        .containsExactly(
            "Kartoffeln kochen, pellen und in Scheiben schneiden.",
            "Zwiebel fein würfeln und mit Brühe, Essig und Zucker aufkochen.",
            "Die warme Marinade über die Kartoffeln gießen und eine Stunde ziehen lassen.");
  }

  @Test
  void articlePageGivesTheArticleWithoutChrome() {
    PageExtraction extraction =
        PageExtractor.extract(html("article.html"), URI.create("https://crumb.example/rise"));

    assertThat(extraction.method()).isEqualTo("article");
    assertThat(extraction.hasRecipe()).isFalse();
    ArticleContent article = extraction.article();
    assertThat(article.title()).isEqualTo("Why bread rises");
    assertThat(article.byline()).isEqualTo("Jane Doe");
    assertThat(article.published()).isEqualTo("2024-03-05T08:00:00Z");
    List<String> texts = article.blocks().stream().map(ArticleContent.Block::text).toList();
    assertThat(texts)
        .anyMatch(t -> t.startsWith("Yeast is a living thing"))
        .contains("What you can change", "A warmer kitchen means a faster rise.")
        .noneMatch(t -> t.contains("Home") || t.contains("Great post") || t.contains("Copyright"))
        .noneMatch(t -> t.contains("sourdough myths") || t.contains("do not include me"));
    assertThat(article.blocks())
        .contains(new ArticleContent.Block(ArticleContent.Kind.HEADING, 2, "What you can change"))
        .contains(
            new ArticleContent.Block(
                ArticleContent.Kind.QUOTE, 0, "Patience is the baker's best ingredient."));
  }

  @Test
  void anArticleWithOnlyAMethodSectionIsNotARecipe() {
    String page =
        "<h1>How we tested</h1><p>"
            + "We compared twelve ovens over three months, baking the same loaf in each. ".repeat(4)
            + "</p><h2>Method</h2><p>Each oven baked the loaf at 220 degrees for forty minutes.</p>";

    PageExtraction extraction = PageExtractor.extract(page, URI.create("https://example.org/t"));

    assertThat(extraction.method()).isEqualTo("article");
  }

  @Test
  void aPageWithNothingToReadGivesNone() {
    PageExtraction extraction =
        PageExtractor.extract("<html><body><nav>Home</nav></body></html>", null);

    assertThat(extraction.method()).isEqualTo("none");
    assertThat(extraction.recipe()).isNull();
    assertThat(extraction.article()).isNull();
  }

  @Test
  void bytesAreDecodedWithThePagesDeclaredCharset() {
    String page =
        "<html><head><meta charset=\"windows-1252\"></head><body>"
            + "<h2>Ingrédients</h2><ul><li>2 œufs</li><li>200 g de crème</li></ul>"
            + "<h2>Préparation</h2><ol><li>Battre les œufs.</li></ol></body></html>";

    PageExtraction extraction =
        PageExtractor.extract(
            page.getBytes(Charset.forName("windows-1252")), URI.create("https://example.org/c"));

    assertThat(extraction.recipe().ingredients().get(0).lines())
        .containsExactly("2 œufs", "200 g de crème");
  }

  private static String script(String json) {
    return "<script type=\"application/ld+json\">" + json + "</script>";
  }
}
