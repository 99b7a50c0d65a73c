package dev.kiln.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {

  private static final long MS = 1_000_000;

  @Test
  void reportsWithinTheIntervalAreDroppedAndLaterOnesPass() {
    ProgressThrottle throttle = new ProgressThrottle(Duration.ofMillis(250));
    assertThat(throttle.tryAcquire(1_000 * MS)).isTrue();
    assertThat(throttle.tryAcquire(1_100 * MS)).isFalse();
    assertThat(throttle.tryAcquire(1_249 * MS)).isFalse();
    assertThat(throttle.tryAcquire(1_250 * MS)).isTrue();
    assertThat(throttle.tryAcquire(1_300 * MS)).isFalse();
  }

  @Test
  void firstReportOfTheJobPassesAtAnyTime() {
    // why: nanoTime may be negative or near zero; "nothing sent yet" must not depend on its value
    for (long start : new long[] {Long.MIN_VALUE / 2, -1, 0, 1, Long.MAX_VALUE / 2}) {
      ProgressThrottle throttle = new ProgressThrottle(Duration.ofMillis(250));
      assertThat(throttle.tryAcquire(start)).isTrue();
      assertThat(throttle.tryAcquire(start + MS)).isFalse();
    }
  }

  @Test
  void atMostFourReportsPerSecondAtTheDefaultInterval() {
    ProgressThrottle throttle = new ProgressThrottle(Duration.ofMillis(250));
    int passed = 0;
    for (long t = 0; t < 1_000; t++) {
      if (throttle.tryAcquire((5_000 + t) * MS)) {
        passed++;
      }
    }
    assertThat(passed).isEqualTo(4);
  }
}
