package dev.kiln.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.Measurement;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  @Test
  void figuresKeepThreeSignificantDigitsAndGroupThousands() {
    assertThat(ResultTable.figure(2512.6, "jobs/s")).isEqualTo("2,513 jobs/s");
    assertThat(ResultTable.figure(12.34, "ms")).isEqualTo("12.3 ms");
    assertThat(ResultTable.figure(3.456, "ms")).isEqualTo("3.46 ms");
    assertThat(ResultTable.figure(428, "jobs")).isEqualTo("428 jobs");
  }

  @Test
  void anUnmeasuredFigureIsADashNotNaN() {
    assertThat(ResultTable.figure(Double.NaN, "ms")).isEqualTo("—");
  }

  @Test
  void markdownRowsCarryTheVerdictAndEscapePipes() {
    String md =
        ResultTable.markdown(
            List.of(
                Measurement.atMost("submit p99", 31.5, "ms", 25, "a | b"),
                Measurement.info("broker", 9972, "msgs/s", "n")));
    assertThat(md)
        .contains("| 1 | submit p99 | 31.5 ms | ≤ 25 ms | NO |")
        .contains("| 2 | broker | 9,972 msgs/s |  |  |")
        .contains("1. a \\| b");
  }

  @Test
  void textAlignsTheFiguresOfAllRowsOnTheRight() {
    String text =
        ResultTable.text(
            List.of(
                Measurement.atLeast("end to end", 133, "jobs/s", 2500, "note one"),
                Measurement.info("p50", 3.5, "ms", "note two")));
    String[] lines = text.split("\n");
    int end1 = lines[1].indexOf("jobs/s") + "jobs/s".length();
    int end2 = lines[2].indexOf("3.50 ms") + "3.50 ms".length();
    assertThat(end1).isEqualTo(end2);
    assertThat(lines[1]).endsWith("NO");
    assertThat(text).contains(" 1. note one").contains(" 2. note two");
  }
}
