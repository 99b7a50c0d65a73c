package dev.kiln.bench.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BacklogTest {

  private static SustainedRun.Result run(int atHalf, int atEnd, boolean heldAtCap) {
    return new SustainedRun.Result(60, 1000, 900, atHalf, atEnd, atEnd, heldAtCap, 0, null);
  }

  @Test
  void aBacklogThatStaysLevelIsBounded() {
    assertThat(EndToEndBench.bounded(run(3_000, 3_300, false), 128)).isTrue();
  }

  @Test
  void aBacklogStillGrowingInTheSecondHalfIsNot() {
    assertThat(EndToEndBench.bounded(run(3_000, 6_000, false), 128)).isFalse();
  }

  @Test
  void aSmallBacklogWithinTheRequestsInFlightIsBoundedEvenIfItDoubled() {
    assertThat(EndToEndBench.bounded(run(40, 100, false), 128)).isTrue();
  }

  @Test
  void reachingTheCapIsNeverBounded() {
    assertThat(EndToEndBench.bounded(run(10_000, 10_000, true), 128)).isFalse();
  }

  @Test
  void theRateCountsOnlyJobsFinishedInsideTheWindow() {
    assertThat(run(0, 0, false).perSecond()).isEqualTo(15.0);
  }
}
