package dev.kiln.worker.extraction.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.extraction.RecipeDocument.Yields;
import java.util.List;
import org.junit.jupiter.api.Test;

class YieldParserTest {

  @Test
  void aBareNumberIsTheServings() {
    assertThat(YieldParser.parse(List.of("4"))).isEqualTo(new Yields(4, "4"));
  }

  @Test
  void theLeadingNumberOfATextIsTheServings() {
    assertThat(YieldParser.parse(List.of("12 cookies"))).isEqualTo(new Yields(12, "12 cookies"));
    assertThat(YieldParser.parse(List.of("Serves: 4"))).isEqualTo(new Yields(4, "Serves: 4"));
    assertThat(YieldParser.parse(List.of("für 6 Portionen")).servings()).isEqualTo(6);
  }

  @Test
  void aRangeServesItsUpperEnd() {
    assertThat(YieldParser.parse(List.of("4 to 6 servings")).servings()).isEqualTo(6);
    assertThat(YieldParser.parse(List.of("Makes 12-16 pieces")).servings()).isEqualTo(16);
  }

  @Test
  void anArrayTakesServingsFromTheFirstValueAndTextFromTheWordedOne() {
    assertThat(YieldParser.parse(List.of("6", "6-8 servings")))
        .isEqualTo(new Yields(6, "6-8 servings"));
  }

  @Test
  void aTextWithoutNumberKeepsTheTextOnly() {
    assertThat(YieldParser.parse(List.of("one loaf"))).isEqualTo(new Yields(null, "one loaf"));
  }

  @Test
  void noValuesMeanNoYields() {
    assertThat(YieldParser.parse(List.of())).isNull();
    assertThat(YieldParser.parse(List.of(" "))).isNull();
  }
}
