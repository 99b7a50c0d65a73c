package dev.kiln.worker.extraction.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeuristicRecipeReaderTest {

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource({
    "Ingredients, Directions",
    "INGREDIENTS:, Method",
    "What you'll need, How to make it",
    "Zutaten für 2 Personen, Zubereitung",
    "Ingrédients, Préparation",
    "Ingrediënten, Bereiding",
    "Benodigdheden:, Bereidingswijze:",
    "Ingredientes, Preparación"
  })
  void findsSectionsUnderHeadingsInSeveralLanguages(String ingredients, String instructions) {
    RawRecipe recipe =
        HeuristicRecipeReader.read(
            Jsoup.parse(
                "<h1>Dish</h1><h2>"
                    + ingredients
                    + "</h2><ul><li>1 egg</li><li>2 g salt</li></ul>"
                    + "<h2>"
                    + instructions
                    + "</h2><ol><li>Whisk.</li><li>Cook.</li></ol>"));

    assertThat(recipe.ingredients().get(0).lines()).containsExactly("1 egg", "2 g salt");
    assertThat(recipe.instructions())
        .extracting(RawRecipe.Step::text)
        .containsExactly("Whisk.", "Cook.");
  }

  @Test
  void findsSectionsByClassNamesWhenThereAreNoHeadings() {
    RawRecipe recipe =
        HeuristicRecipeReader.read(
            Jsoup.parse(
                """
                <h1>Pancakes</h1>
                <div class="recipe-ingredients"><ul><li>1 cup flour</li><li>1 cup milk</li></ul></div>
                <div class="recipe-directions"><p>Mix.</p><p>Fry.</p></div>
                """));

    assertThat(recipe.ingredients().get(0).lines()).containsExactly("1 cup flour", "1 cup milk");
    assertThat(recipe.instructions())
        .extracting(RawRecipe.Step::text)
        .containsExactly("Mix.", "Fry.");
  }

  @Test
  void aHeadingInsideAParagraphTitlesTheStepsThatFollowIt() {
    RawRecipe recipe =
        HeuristicRecipeReader.read(
            Jsoup.parse(
                """
                <p>Ingredients:</p><ul><li>2 eggs</li><li>butter</li></ul>
                <p><strong>Method:</strong><br>Beat the eggs in a bowl until smooth.<br>Melt the butter and fry the eggs.</p>
                """));

    assertThat(recipe.instructions())
        .containsExactly(
            RawRecipe.Step.single("Method:", null, "Beat the eggs in a bowl until smooth."),
            RawRecipe.Step.single("Method:", null, "Melt the butter and fry the eggs."));
  }

  @Test
  void navigationAndSidebarListsAreNotIngredients() {
    RawRecipe recipe =
        HeuristicRecipeReader.read(
            Jsoup.parse(
                """
                <nav><h3>Ingredients</h3><ul><li><a href="/a">Apples</a></li><li><a href="/b">Beef</a></li></ul></nav>
                <aside><h3>Ingredients</h3><ul><li><a href="/c">Cheese</a></li></ul></aside>
                <h2>Ingredients</h2><ul><li>3 apples</li><li>1 tbsp honey</li></ul>
                <h2>Steps</h2><ol><li>Bake the apples with honey.</li></ol>
                """));

    assertThat(recipe.ingredients().get(0).lines()).containsExactly("3 apples", "1 tbsp honey");
  }

  @Test
  void aSectionEndsAtTheNextHeadingOfItsLevel() {
    RawRecipe recipe =
        HeuristicRecipeReader.read(
            Jsoup.parse(
                """
                <h2>Ingredients</h2><ul><li>1 egg</li></ul>
                <h2>Instructions</h2><p>Boil the egg.</p><h3>Sauce</h3><p>Stir the mayonnaise.</p>
                <h2>More recipes</h2><p>See our archive of egg dishes.</p>
                """));

    assertThat(recipe.instructions())
        .extracting(RawRecipe.Step::text)
        .containsExactly("Boil the egg.", "Stir the mayonnaise.");
    assertThat(recipe.instructions().get(1).section()).isEqualTo("Sauce");
  }

  @Test
  void notesAndTipsAreNotSteps() {
    RawRecipe recipe =
        HeuristicRecipeReader.read(
            Jsoup.parse(
                """
                <h2>Ingredients</h2><ul><li>1 egg</li></ul>
                <h2>Instructions</h2><p>Boil the egg.</p><p><b>Tips</b></p><p>Use fresh eggs.</p>
                """));

    assertThat(recipe.instructions())
        .extracting(RawRecipe.Step::text)
        .containsExactly("Boil the egg.");
  }

  @Test
  void aPageWithoutRecipeSectionsHasNoRecipe() {
    assertThat(HeuristicRecipeReader.read(Jsoup.parse("<h1>News</h1><p>Nothing to cook.</p>")))
        .isNull();
  }
}
