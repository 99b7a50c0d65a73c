package dev.kiln.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

  @Test
  void fiveHundredASecondAreDueEveryTwoMilliseconds() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 500);
    assertThat(schedule.dueNanos(0)).isEqualTo(1_000);
    assertThat(schedule.dueNanos(1) - schedule.dueNanos(0)).isEqualTo(2_000_000);
    assertThat(schedule.dueNanos(10_000) - schedule.dueNanos(9_999)).isEqualTo(2_000_000);
  }

  @Test
  void dueTimesDoNotDriftWhenTheIntervalIsNotWholeNanoseconds() {
    // 3 a second: 333,333,333.3 ns apart; summing rounded intervals would drift by 1 ns each
    OpenLoopSchedule schedule = new OpenLoopSchedule(0, 3);
    assertThat(schedule.dueNanos(3_000_000)).isEqualTo(1_000_000L * 1_000_000_000L);
  }

  @Test
  void twentySecondsAtFiveHundredAreTenThousandRequests() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(0, 500);
    assertThat(schedule.count(20)).isEqualTo(10_000);
    assertThat(schedule.dueNanos(schedule.count(20) - 1)).isLessThan(20_000_000_000L);
  }

  @Test
  void aPartialIntervalStillSendsTheRequestDueInIt() {
    assertThat(new OpenLoopSchedule(0, 2).count(1.2)).isEqualTo(3);
  }

  @Test
  void aRateOfZeroIsRefused() {
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void awaitingARequestReturnsNoEarlierThanItsDueTime() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime() + 20_000_000L, 100);

    schedule.awaitDue(1);

    assertThat(System.nanoTime()).isGreaterThanOrEqualTo(schedule.dueNanos(1));
  }

  @Test
  void awaitingARequestAlreadyDueReturnsAtOnce() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime() - 60_000_000_000L, 1);
    long before = System.nanoTime();

    schedule.awaitDue(0);

    // why: a generic bound far above any scheduling hiccup; the point is that it does not wait
    // for the interval (a second) or more
    assertThat(System.nanoTime() - before).isLessThan(500_000_000L);
  }
}
