package dev.kiln.worker.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.extraction.RecipeDocument;
import dev.kiln.worker.extraction.page.RawRecipe;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecipeParserTest {

  private static RawRecipe raw(
      List<String> authors,
      List<String> images,
      List<String> keywords,
      List<RawRecipe.Step> steps) {
    return new RawRecipe(
        "Bread &amp; butter",
        null,
        authors,
        "nl-NL",
        images,
        List.of("1 loaf"),
        "PT15M",
        null,
        null,
        List.of(new RawRecipe.Group("Dough:", List.of("500 g flour", "1 tl zout"))),
        steps,
        Map.of("calories", "200 kcal"),
        keywords,
        List.of("Bread, Baking"),
        List.of());
  }

  @Test
  void severalAuthorsAreJoinedOnceEach() {
    RecipeDocument doc =
        RecipeParser.parse(
            raw(List.of("Ada", "Bo", "Ada"), List.of(), List.of(), List.of()), null, "json-ld");

    assertThat(doc.author()).isEqualTo("Ada, Bo");
  }

  @Test
  void theFirstUsableImageIsResolvedAgainstThePage() {
    RecipeDocument doc =
        RecipeParser.parse(
            raw(
                List.of(),
                List.of("data:image/gif;base64,AAAA", "img/loaf.jpg"),
                List.of(),
                List.of()),
            URI.create("https://bakery.example/recipes/loaf"),
            "json-ld");

    assertThat(doc.image()).isEqualTo("https://bakery.example/recipes/img/loaf.jpg");
  }

  @Test
  void keywordsAndCategoriesAreSplitAtCommas() {
    RecipeDocument doc =
        RecipeParser.parse(
            raw(List.of(), List.of(), List.of("bread, easy", "easy", "yeast"), List.of()),
            null,
            "json-ld");

    assertThat(doc.keywords()).containsExactly("bread", "easy", "yeast");
    assertThat(doc.categories()).containsExactly("Bread", "Baking");
  }

  @Test
  void groupsKeepTheirTitleAsPrintedAndFlattenInOrder() {
    RecipeDocument doc =
        RecipeParser.parse(raw(List.of(), List.of(), List.of(), List.of()), null, "heuristic");

    assertThat(doc.ingredientGroups())
        .singleElement()
        .extracting(RecipeDocument.IngredientGroup::name)
        .isEqualTo("Dough:");
    assertThat(doc.ingredients()).extracting(i -> i.unit()).containsExactly("gram", "teaspoon");
    assertThat(doc.title()).isEqualTo("Bread & butter");
    assertThat(doc.language()).isEqualTo("nl-NL");
    assertThat(doc.yields()).isEqualTo(new RecipeDocument.Yields(1, "1 loaf"));
    assertThat(doc.times()).isEqualTo(new RecipeDocument.Times(15, null, 15));
    assertThat(doc.nutrition()).containsExactly(Map.entry("calories", "200 kcal"));
  }

  @Test
  void stepTitlesAreKeptUnlessTheyRepeatTheTextOrOnlyNumberTheStep() {
    List<RawRecipe.Step> steps =
        List.of(
            RawRecipe.Step.single(null, "Knead", "Work the dough for ten minutes."),
            RawRecipe.Step.single(null, "Step 2", "Let it rise."),
            RawRecipe.Step.single(null, "Shape the loaf...", "Shape the loaf and bake it."),
            RawRecipe.Step.blob("Serving", "Slice.\nEat."));

    RecipeDocument doc =
        RecipeParser.parse(raw(List.of(), List.of(), List.of(), steps), null, "json-ld");

    assertThat(doc.instructions())
        .containsExactly(
            new RecipeDocument.Step(null, "Knead", "Work the dough for ten minutes."),
            new RecipeDocument.Step(null, null, "Let it rise."),
            new RecipeDocument.Step(null, null, "Shape the loaf and bake it."),
            new RecipeDocument.Step("Serving", null, "Slice."),
            new RecipeDocument.Step("Serving", null, "Eat."));
  }
}
