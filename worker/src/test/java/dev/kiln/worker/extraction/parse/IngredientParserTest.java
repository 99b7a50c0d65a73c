package dev.kiln.worker.extraction.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.model.extraction.Ingredient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IngredientParserTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # line                                  | min    | max    | unit        | food
          2 eggs                                  | 2      | 2      | -           | eggs
          1 1/2 cups flour                        | 1.5    | 1.5    | cup         | flour
          1½ cups flour                           | 1.5    | 1.5    | cup         | flour
          1 ½ cups flour                          | 1.5    | 1.5    | cup         | flour
          ½ tsp salt                              | 0.5    | 0.5    | teaspoon    | salt
          ¾ teaspoon baking powder                | 0.75   | 0.75   | teaspoon    | baking powder
          3⁄4 cup milk                            | 0.75   | 0.75   | cup         | milk
          0.5 cup sugar                           | 0.5    | 0.5    | cup         | sugar
          1,5 l Milch                             | 1.5    | 1.5    | liter       | Milch
          1-1/2 tablespoons oil                   | 1.5    | 1.5    | tablespoon  | oil
          2-3 cloves garlic                       | 2      | 3      | clove       | garlic
          2–3 Zehen Knoblauch                     | 2      | 3      | clove       | Knoblauch
          2 to 3 tbsp butter                      | 2      | 3      | tablespoon  | butter
          1/2-1 cup stock                         | 0.5    | 1      | cup         | stock
          400g beef                               | 400    | 400    | gram        | beef
          250 ml Sahne                            | 250    | 250    | milliliter  | Sahne
          1 kg potatoes                           | 1      | 1      | kilogram    | potatoes
          2 dl cream                              | 2      | 2      | deciliter   | cream
          5 cl rum                                | 5      | 5      | centiliter  | rum
          8 oz pasta                              | 8      | 8      | ounce       | pasta
          1 lb. ground beef                       | 1      | 1      | pound       | ground beef
          2 EL Olivenöl                           | 2      | 2      | tablespoon  | Olivenöl
          1 TL Salz                               | 1      | 1      | teaspoon    | Salz
          1 Prise Zucker                          | 1      | 1      | pinch       | Zucker
          2 Stück Eier                            | 2      | 2      | piece       | Eier
          1 Bund Petersilie                       | 1      | 1      | bunch       | Petersilie
          1 Dose Tomaten                          | 1      | 1      | can         | Tomaten
          2 c. à soupe d'huile d'olive            | 2      | 2      | tablespoon  | huile d'olive
          1 c. à café de sel                      | 1      | 1      | teaspoon    | sel
          3 cuillères à soupe de sucre            | 3      | 3      | tablespoon  | sucre
          1 pincée de sel                         | 1      | 1      | pinch       | sel
          2 gousses d'ail                         | 2      | 2      | clove       | ail
          200 g de farine                         | 200    | 200    | gram        | farine
          2 eetlepels zonnebloemolie              | 2      | 2      | tablespoon  | zonnebloemolie
          1 el sojasaus                           | 1      | 1      | tablespoon  | sojasaus
          1 tl kerriepoeder                       | 1      | 1      | teaspoon    | kerriepoeder
          2 theelepels suiker                     | 2      | 2      | teaspoon    | suiker
          2 teentjes knoflook                     | 2      | 2      | clove       | knoflook
          125 gr zelfrijzend bakmeel              | 125    | 125    | gram        | zelfrijzend bakmeel
          """)
  void readsAmountUnitAndFood(String line, Double min, Double max, String unit, String food) {
    Ingredient ingredient = IngredientParser.parse(line);

    assertThat(ingredient.raw()).isEqualTo(line);
    assertThat(ingredient.amount().min()).isCloseTo(min, within(1e-9));
    assertThat(ingredient.amount().max()).isCloseTo(max, within(1e-9));
    assertThat(ingredient.unit()).isEqualTo(unit);
    assertThat(ingredient.food()).isEqualTo(food);
  }

  @Test
  void textInParenthesesIsANote() {
    Ingredient ingredient = IngredientParser.parse("1 onion (finely diced)");

    assertThat(ingredient.food()).isEqualTo("onion");
    assertThat(ingredient.note()).isEqualTo("finely diced");
  }

  @Test
  void textAfterTheFirstCommaIsANote() {
    Ingredient ingredient = IngredientParser.parse("2 carrots, peeled and grated");

    assertThat(ingredient.food()).isEqualTo("carrots");
    assertThat(ingredient.note()).isEqualTo("peeled and grated");
  }

  @Test
  void commaNoteComesBeforeParenthesisedNotes() {
    Ingredient ingredient = IngredientParser.parse("1 cup rice (basmati), rinsed");

    assertThat(ingredient.food()).isEqualTo("rice");
    assertThat(ingredient.note()).isEqualTo("rinsed, basmati");
  }

  @Test
  void aLineWithoutAmountHasOnlyFoodAndNote() {
    Ingredient ingredient = IngredientParser.parse("Salt, to taste");

    assertThat(ingredient.amount()).isNull();
    assertThat(ingredient.unit()).isNull();
    assertThat(ingredient.food()).isEqualTo("Salt");
    assertThat(ingredient.note()).isEqualTo("to taste");
  }

  @Test
  void aUnitWordWithoutAmountIsFoodUnlessItIsAnAmountInItself() {
    assertThat(IngredientParser.parse("Cloves, ground").unit()).isNull();
    assertThat(IngredientParser.parse("Cloves, ground").food()).isEqualTo("Cloves");
    assertThat(IngredientParser.parse("snufje kaneel").unit()).isEqualTo("pinch");
    assertThat(IngredientParser.parse("snufje kaneel").food()).isEqualTo("kaneel");
  }

  @Test
  void aWordThatStartsLikeAUnitIsNotOne() {
    Ingredient ingredient = IngredientParser.parse("2 large eggs");

    assertThat(ingredient.unit()).isNull();
    assertThat(ingredient.food()).isEqualTo("large eggs");
  }

  @Test
  void doubledParenthesesFromStructuredDataAreUndone() {
    assertThat(IngredientParser.tidyLine("8 cups apples ((about 7 apples))"))
        .isEqualTo("8 cups apples (about 7 apples)");
    assertThat(IngredientParser.tidyLine("1 lb bok choy (, chopped (see note))"))
        .isEqualTo("1 lb bok choy , chopped (see note)");
    assertThat(IngredientParser.tidyLine("100 g butter ((soft) )"))
        .isEqualTo("100 g butter ((soft) )");
  }
}
