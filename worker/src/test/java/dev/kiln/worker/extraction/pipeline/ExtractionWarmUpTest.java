package dev.kiln.worker.extraction.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExtractionWarmUpTest {

  @Test
  void warmUpTakesTheJsonLdTheListAndTheArticlePathOnce() {
    assertThat(ExtractionWarmUp.run()).containsExactly("json-ld", "heuristic", "article");
  }
}
