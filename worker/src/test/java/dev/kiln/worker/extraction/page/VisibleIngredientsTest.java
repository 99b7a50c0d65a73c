package dev.kiln.worker.extraction.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

class VisibleIngredientsTest {

  private static RawRecipe withIngredients(String... lines) {
    return new RawRecipe(
        "Cake",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(new RawRecipe.Group(null, List.of(lines))),
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void groupTitlesShownOnThePageBecomeIngredientGroups() {
    Document page =
        Jsoup.parse(
            """
            <h3>Ingredients</h3>
            <h4 class="group-name">Sponge</h4><ul><li>200 g flour</li><li>4 eggs</li></ul>
            <h4 class="group-name">Icing:</h4><ul><li>100 g icing sugar</li></ul>
            """);

    RawRecipe aligned =
        VisibleIngredients.align(
            page, withIngredients("200 g flour", "4 eggs", "100 g icing sugar"));

    assertThat(aligned.ingredients())
        .containsExactly(
            new RawRecipe.Group("Sponge", List.of("200 g flour", "4 eggs")),
            new RawRecipe.Group("Icing:", List.of("100 g icing sugar")));
  }

  @Test
  void aGroupTitleListedAsAnIngredientIsMadeATitle() {
    Document page =
        Jsoup.parse(
            """
            <div class="item">2 lemons</div><div class="item">1 l water</div>
            <div class="ingredients__title">Syrup</div>
            <div class="item">100 g sugar</div><div class="item">100 ml water</div>
            """);

    RawRecipe aligned =
        VisibleIngredients.align(
            page, withIngredients("2 lemons", "1 l water", "syrup", "100 g sugar", "100 ml water"));

    assertThat(aligned.ingredients())
        .containsExactly(
            new RawRecipe.Group(null, List.of("2 lemons", "1 l water")),
            new RawRecipe.Group("Syrup", List.of("100 g sugar", "100 ml water")));
  }

  @Test
  void thePagesWordingWinsWhenMostLinesSayMore() {
    Document page =
        Jsoup.parse(
            """
            <ul><li>2 large carrots (peeled)</li><li>1 small onion, diced</li><li>salt</li></ul>
            """);

    RawRecipe aligned =
        VisibleIngredients.align(page, withIngredients("2 carrots", "1 onion", "salt"));

    assertThat(aligned.ingredients().get(0).lines())
        .containsExactly("2 large carrots (peeled)", "1 small onion, diced", "salt");
  }

  @Test
  void theDatasWordingStaysWhenThePageOnlyPunctuatesDifferently() {
    Document page =
        Jsoup.parse("<ul><li>1 onion finely diced</li><li>½ cup rice</li><li>400 g beef</li></ul>");

    RawRecipe aligned =
        VisibleIngredients.align(
            page, withIngredients("1 onion (finely diced)", "1/2 cup rice", "400g beef"));

    assertThat(aligned.ingredients().get(0).lines())
        .containsExactly("1 onion (finely diced)", "1/2 cup rice", "400 g beef");
  }

  @Test
  void aRecipeWhoseIngredientsAreNotOnThePageIsUnchanged() {
    RawRecipe recipe = withIngredients("3 pears", "1 tbsp honey");

    assertThat(VisibleIngredients.align(Jsoup.parse("<p>Unrelated text.</p>"), recipe))
        .isSameAs(recipe);
  }
}
