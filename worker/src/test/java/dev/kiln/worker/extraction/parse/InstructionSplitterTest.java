package dev.kiln.worker.extraction.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstructionSplitterTest {

  @Test
  void splitsAtLineBreaks() {
    assertThat(InstructionSplitter.split("Mix the flour.\nAdd eggs.\r\nBake."))
        .containsExactly("Mix the flour.", "Add eggs.", "Bake.");
  }

  @Test
  void splitsAtCarriageReturnsAlone() {
    assertThat(InstructionSplitter.split("Melt the butter;\rAdd the meat;\rServe."))
        .containsExactly("Melt the butter;", "Add the meat;", "Serve.");
  }

  @Test
  void splitsHtmlAtListItemsParagraphsAndBreaks() {
    assertThat(InstructionSplitter.split("<ol><li>Mix.</li><li>Bake <b>hot</b>.</li></ol>"))
        .containsExactly("Mix.", "Bake hot.");
    assertThat(InstructionSplitter.split("<p>Mix.</p><p>Rest.<br>Bake.</p>"))
        .containsExactly("Mix.", "Rest.", "Bake.");
  }

  @Test
  void splitsEntityEscapedHtml() {
    assertThat(
            InstructionSplitter.split(
                "&lt;p&gt;Mix &amp;amp; stir.&lt;/p&gt;&lt;p&gt;Bake.&lt;/p&gt;"))
        .containsExactly("Mix & stir.", "Bake.");
  }

  @Test
  void splitsOneLineAtSequentialStepNumbers() {
    assertThat(InstructionSplitter.split("1. Mix the flour. 2. Add 2 eggs. 3. Bake for 20 min."))
        .containsExactly("Mix the flour.", "Add 2 eggs.", "Bake for 20 min.");
  }

  @Test
  void dropsNumbersWhenEveryLineIsNumberedInOrder() {
    assertThat(InstructionSplitter.split("1. Mix.\n2) Bake.\nStep 3: Serve."))
        .containsExactly("Mix.", "Bake.", "Serve.");
  }

  @Test
  void keepsNumbersThatAreNotASequence() {
    assertThat(InstructionSplitter.split("350 degrees is hot.\n2 eggs go in."))
        .containsExactly("350 degrees is hot.", "2 eggs go in.");
  }

  @Test
  void dropsLinesThatOnlyNumberTheStep() {
    assertThat(InstructionSplitter.split("Step 1\nMix.\n2\nBake."))
        .containsExactly("Mix.", "Bake.");
  }

  @Test
  void aSingleStepSplitsOnlyAtHardLineBreaks() {
    assertThat(InstructionSplitter.splitHardBreaks("Whisk.\u2028 Pour in.<br>Fold."))
        .containsExactly("Whisk. Pour in. Fold.");
    assertThat(InstructionSplitter.splitHardBreaks("Whisk.\nFold."))
        .containsExactly("Whisk.", "Fold.");
  }
}
