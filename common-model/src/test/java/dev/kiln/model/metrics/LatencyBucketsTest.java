package dev.kiln.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

  @Test
  void rangeIncludesBothEndsAndEveryRungBetween() {
    assertThat(LatencyBuckets.between(Duration.ofMillis(500), Duration.ofSeconds(5)))
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(2500),
            Duration.ofSeconds(5));
  }

  @Test
  void ladderAscends() {
    for (int i = 1; i < LatencyBuckets.LADDER.length; i++) {
      assertThat(LatencyBuckets.LADDER[i]).isGreaterThan(LatencyBuckets.LADDER[i - 1]);
    }
  }

  @Test
  void boundsOffTheLadderOrReversedAreRefused() {
    assertThatThrownBy(() -> LatencyBuckets.between(Duration.ofMillis(11), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatencyBuckets.between(Duration.ofSeconds(1), Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
