package dev.kiln.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchmarksDocTest {

  private static final String HISTORY =
      "## Results\n\n| old | table |\n| --- | --- |\n| 1 | 2 |\n\n### After X\n\nfindings\n";

  @Test
  void replacesOnlyWhatIsBetweenTheMarkers() {
    String doc =
        "# Benchmarks\n\nintro\n\n## Latest results\n\n"
            + BenchmarksDoc.BEGIN
            + "\nold figures\n"
            + BenchmarksDoc.END
            + "\n\n"
            + HISTORY;
    String updated = BenchmarksDoc.withResults(doc, "new figures\n");
    assertThat(updated)
        .isEqualTo(
            "# Benchmarks\n\nintro\n\n## Latest results\n\n"
                + BenchmarksDoc.BEGIN
                + "\nnew figures\n"
                + BenchmarksDoc.END
                + "\n\n"
                + HISTORY);
  }

  @Test
  void withoutMarkersAddsTheSectionBeforeTheFirstSecondLevelHeading() {
    String doc = "# Benchmarks\n\nhow to run\n\n" + HISTORY;
    String updated = BenchmarksDoc.withResults(doc, "figures");
    assertThat(updated)
        .startsWith("# Benchmarks\n\nhow to run\n\n## Latest results\n\n" + BenchmarksDoc.BEGIN)
        .endsWith(BenchmarksDoc.END + "\n\n" + HISTORY);
    assertThat(updated).contains(BenchmarksDoc.BEGIN + "\nfigures\n" + BenchmarksDoc.END);
  }

  @Test
  void aSecondRunKeepsOneResultsBlock() {
    String once = BenchmarksDoc.withResults("# Benchmarks\n\n" + HISTORY, "run 1");
    String twice = BenchmarksDoc.withResults(once, "run 2");
    assertThat(twice.split(BenchmarksDoc.BEGIN, -1)).hasSize(2);
    assertThat(twice).contains("run 2").doesNotContain("run 1").endsWith(HISTORY);
  }

  @Test
  void aFileWithoutSectionsGetsTheResultsAtItsEnd() {
    String updated = BenchmarksDoc.withResults("# Benchmarks\n", "figures");
    assertThat(updated)
        .isEqualTo(
            "# Benchmarks\n\n## Latest results\n\n"
                + BenchmarksDoc.BEGIN
                + "\nfigures\n"
                + BenchmarksDoc.END
                + "\n");
  }

  @Test
  void aLoneMarkerIsRefusedRatherThanGuessedAt() {
    assertThatThrownBy(() -> BenchmarksDoc.withResults("x\n" + BenchmarksDoc.BEGIN + "\ny", "z"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
