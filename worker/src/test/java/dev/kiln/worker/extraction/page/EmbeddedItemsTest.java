package dev.kiln.worker.extraction.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

class EmbeddedItemsTest {

  @Test
  void aScopeWithoutTypeIsARecipeWhenItHasRecipeProperties() {
    RawRecipe recipe =
        EmbeddedItems.microdata(
            Jsoup.parse(
                """
                <div itemscope>
                  <h1 itemprop="name">Rice</h1>
                  <span itemprop="recipeIngredient">1 cup rice</span>
                  <span itemprop="recipeIngredient">2 cups water</span>
                  <p itemprop="recipeInstructions">Simmer for 18 minutes.</p>
                </div>
                """));

    assertThat(recipe.name()).isEqualTo("Rice");
    assertThat(recipe.ingredients().get(0).lines()).containsExactly("1 cup rice", "2 cups water");
  }

  @Test
  void recipePropertiesOutsideAnyScopeMakeThePageTheRecipe() {
    RawRecipe recipe =
        EmbeddedItems.microdata(
            Jsoup.parse(
                """
                <h1 itemprop="name">Porridge</h1>
                <ul><li itemprop="ingredients">50 g oats</li><li itemprop="ingredients">300 ml milk</li></ul>
                <div itemprop="recipeInstructions"><p>Stir oats into the milk.</p><p>Simmer 5 minutes.</p></div>
                """));

    assertThat(recipe.name()).isEqualTo("Porridge");
    assertThat(recipe.ingredients().get(0).lines()).containsExactly("50 g oats", "300 ml milk");
    assertThat(recipe.instructions())
        .extracting(RawRecipe.Step::text)
        .containsExactly("Stir oats into the milk.", "Simmer 5 minutes.");
  }

  @Test
  void oneIngredientElementWithLineBreaksIsSplitIntoGroupsAtItsBoldTitles() {
    RawRecipe recipe =
        EmbeddedItems.microdata(
            Jsoup.parse(
                """
                <div itemscope itemtype="https://schema.org/Recipe">
                  <div itemprop="recipeIngredient"><p><strong>Dough</strong><br>200 g flour<br>1 egg<br>
                  <strong>Filling</strong><br>2 apples</p></div>
                  <div itemprop="recipeInstructions"><p>Make the dough.</p></div>
                </div>
                """));

    assertThat(recipe.ingredients())
        .containsExactly(
            new RawRecipe.Group("Dough", java.util.List.of("200 g flour", "1 egg")),
            new RawRecipe.Group("Filling", java.util.List.of("2 apples")));
  }

  @Test
  void paragraphsWithShortFragmentsStayOneStep() {
    RawRecipe recipe =
        EmbeddedItems.microdata(
            Jsoup.parse(
                """
                <div itemscope itemtype="https://schema.org/Recipe">
                  <span itemprop="recipeIngredient">1 lamb shoulder</span>
                  <div itemprop="recipeInstructions">
                    <p>Roast the lamb for four hours until it falls apart.<br>Rest it for twenty minutes before carving.</p>
                    <p><strong>To serve:</strong><br>flatbreads<br>yoghurt</p>
                  </div>
                </div>
                """));

    assertThat(recipe.instructions())
        .extracting(RawRecipe.Step::text)
        .containsExactly(
            "Roast the lamb for four hours until it falls apart.",
            "Rest it for twenty minutes before carving.",
            "To serve: flatbreads yoghurt");
  }

  @Test
  void rdfaWithPrefixedNamesIsRead() {
    RawRecipe recipe =
        EmbeddedItems.rdfa(
            Jsoup.parse(
                """
                <div prefix="schema: http://schema.org/" typeof="schema:Recipe">
                  <h1 property="schema:name">Salsa</h1>
                  <meta property="schema:totalTime" content="PT10M">
                  <span property="schema:recipeIngredient">4 tomatoes</span>
                  <span property="schema:recipeIngredient">1 onion</span>
                  <p property="schema:recipeInstructions">Chop everything and mix.</p>
                </div>
                """));

    assertThat(recipe.name()).isEqualTo("Salsa");
    assertThat(recipe.totalTime()).isEqualTo("PT10M");
    assertThat(recipe.ingredients().get(0).lines()).containsExactly("4 tomatoes", "1 onion");
  }

  @Test
  void dataVocabularyRecipesWithTheirOwnPropertyNamesAreRead() {
    RawRecipe recipe =
        EmbeddedItems.microdata(
            Jsoup.parse(
                """
                <div itemscope itemtype="http://data-vocabulary.org/Recipe">
                  <h1 itemprop="name">Flatbread</h1>
                  <span itemprop="yield">4</span>
                  <li itemprop="ingredient">300 g flour</li><li itemprop="ingredient">200 ml water</li>
                  <div itemprop="instructions"><p>Knead.</p><p>Bake in a hot pan.</p></div>
                </div>
                """));

    assertThat(recipe.yields()).containsExactly("4");
    assertThat(recipe.ingredients().get(0).lines()).containsExactly("300 g flour", "200 ml water");
    assertThat(recipe.instructions())
        .extracting(RawRecipe.Step::text)
        .containsExactly("Knead.", "Bake in a hot pan.");
  }

  @Test
  void aPageWithoutItemsHasNoRecipe() {
    assertThat(EmbeddedItems.microdata(Jsoup.parse("<p itemprop='name'>Just a name</p>"))).isNull();
    assertThat(EmbeddedItems.rdfa(Jsoup.parse("<meta property='og:title' content='x'>"))).isNull();
  }
}
