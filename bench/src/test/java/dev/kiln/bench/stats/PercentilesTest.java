package dev.kiln.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void p99OfAHundredSamplesIsTheSecondLargest() {
    long[] values = LongStream.rangeClosed(1, 100).toArray();
    assertThat(Percentiles.of(values, 0.99)).isEqualTo(99);
    assertThat(Percentiles.of(values, 0.50)).isEqualTo(50);
  }

  @Test
  void p99OfFewSamplesIsTheLargestRatherThanAnInterpolatedValue() {
    long[] values = {5, 1, 9, 3, 7, 2, 8, 4, 6, 10};
    assertThat(Percentiles.of(values, 0.99)).isEqualTo(10);
    assertThat(Percentiles.of(values, 0.10)).isEqualTo(1);
  }

  @Test
  void unsortedInputGivesTheSameAnswerAndIsLeftUnchanged() {
    long[] values = {30, 10, 20};
    assertThat(Percentiles.of(values, 0.5)).isEqualTo(20);
    assertThat(values).containsExactly(30, 10, 20);
  }

  @Test
  void noSamplesGiveNaN() {
    assertThat(Percentiles.of(new long[0], 0.5)).isNaN();
  }

  @Test
  void aFractionOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> Percentiles.of(new long[] {1}, 99))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void latenciesSummariseNanosInMilliseconds() {
    Latencies latencies = new Latencies();
    for (int ms = 1; ms <= 2000; ms++) {
      latencies.add(ms * 1_000_000L);
    }
    Latencies.Summary s = latencies.summary();
    assertThat(s.count()).isEqualTo(2000);
    assertThat(s.p50()).isEqualTo(1000.0);
    assertThat(s.p99()).isEqualTo(1980.0);
    assertThat(s.max()).isEqualTo(2000.0);
  }
}
