package dev.kiln.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.Measurement;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatiosTest {

  private static final List<String> KILN = List.of("e2e single", "e2e batch");
  private static final List<Ratios.Base> BASE =
      List.of(new Ratios.Base("broker", "RabbitMQ"), new Ratios.Base("postgres", "PostgreSQL"));

  @Test
  void relatesEachKilnRateToEachBaseline() {
    List<String> lines =
        Ratios.lines(
            List.of(
                Measurement.info("e2e batch", 250, "jobs/s", ""),
                Measurement.info("broker", 10_000, "msgs/s", ""),
                Measurement.info("postgres", 3_000, "commits/s", "")),
            KILN,
            BASE);
    assertThat(lines)
        .containsExactly(
            "e2e batch: 250 jobs/s = 0.025 × RabbitMQ's 10,000 msgs/s = 0.083 × PostgreSQL's"
                + " 3,000 commits/s");
  }

  @Test
  void aFailedBaselineIsLeftOutAndNoBaselineMeansNoLine() {
    List<Measurement> rows =
        List.of(
            Measurement.info("e2e single", 100, "jobs/s", ""),
            Measurement.info("broker", Double.NaN, "msgs/s", "FAILED"));
    assertThat(Ratios.lines(rows, KILN, BASE)).isEmpty();
  }

  @Test
  void ratiosKeepTwoSignificantDigits() {
    assertThat(Ratios.ratio(0.123456)).isEqualTo("0.12");
    assertThat(Ratios.ratio(1.567)).isEqualTo("1.6");
    assertThat(Ratios.ratio(0.004567)).isEqualTo("0.0046");
    assertThat(Ratios.ratio(12.3)).isEqualTo("12");
  }
}
