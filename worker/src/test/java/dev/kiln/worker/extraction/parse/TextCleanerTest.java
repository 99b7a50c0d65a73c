package dev.kiln.worker.extraction.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextCleanerTest {

  @Test
  void decodesEntitiesIncludingDoubleEscapedOnes() {
    assertThat(TextCleaner.clean("Salt &amp; pepper")).isEqualTo("Salt & pepper");
    assertThat(TextCleaner.clean("Salt &amp;amp; pepper")).isEqualTo("Salt & pepper");
    assertThat(TextCleaner.clean("&frac12; cup")).isEqualTo("½ cup");
  }

  @Test
  void dropsTagsAndCollapsesWhitespace() {
    assertThat(TextCleaner.clean("  <b>2</b>\u00a0cups\t<a href='#'>flour</a> "))
        .isEqualTo("2 cups flour");
  }

  @Test
  void repairsUtf8ReadAsWindows1252() {
    assertThat(TextCleaner.clean("1Â½ cups")).isEqualTo("1½ cups");
    assertThat(TextCleaner.clean("Grandmaâ€™s pie")).isEqualTo("Grandma’s pie");
    assertThat(TextCleaner.clean("Crème brûlée")).isEqualTo("Crème brûlée");
  }

  @Test
  void keepsALessThanSignThatIsNotATag() {
    assertThat(TextCleaner.clean("bake < 5 min")).isEqualTo("bake < 5 min");
  }

  @Test
  void dropsInvisibleCharacters() {
    assertThat(TextCleaner.clean("pota\u00adtoes\u200b")).isEqualTo("potatoes");
  }

  @Test
  void blankInputHasNoText() {
    assertThat(TextCleaner.clean("  <p> </p> ")).isNull();
    assertThat(TextCleaner.clean(null)).isNull();
  }
}
