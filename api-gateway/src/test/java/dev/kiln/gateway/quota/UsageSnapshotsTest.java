package dev.kiln.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UsageSnapshotsTest {

  private static final long MS = 1_000_000;
  private final UsageSnapshots snapshots = new UsageSnapshots(Duration.ofMillis(250));

  @Test
  void withoutASnapshotTheCallerMustCount() {
    assertThat(snapshots.admit("t", 1, 100, 0)).isFalse();
  }

  @Test
  void aFreshSnapshotFarBelowTheCapAdmitsAndCountsWhatItAdmits() {
    snapshots.record("t", 1000, 800, 0);

    assertThat(snapshots.admit("t", 50, 100, 10 * MS)).isTrue();
    assertThat(snapshots.admit("t", 50, 100, 20 * MS)).isTrue();
    // 800 + 50 + 50 admitted; one more would come within 100 of the cap of 1,000
    assertThat(snapshots.admit("t", 1, 100, 30 * MS)).isFalse();
  }

  @Test
  void anExpiredSnapshotIsNotUsed() {
    snapshots.record("t", 1000, 0, 0);

    assertThat(snapshots.admit("t", 1, 100, 251 * MS)).isFalse();
    assertThat(snapshots.admit("t", 1, 100, 252 * MS)).as("and it is gone").isFalse();
  }

  @Test
  void tenantsHaveTheirOwnSnapshots() {
    snapshots.record("a", 1000, 0, 0);

    assertThat(snapshots.admit("b", 1, 100, MS)).isFalse();
    assertThat(snapshots.admit("a", 1, 100, MS)).isTrue();
  }

  @Test
  void aZeroLifetimeCountsEverySubmission() {
    UsageSnapshots none = new UsageSnapshots(Duration.ZERO);
    none.record("t", 1000, 0, 0);

    assertThat(none.admit("t", 1, 100, 0)).isFalse();
  }
}
