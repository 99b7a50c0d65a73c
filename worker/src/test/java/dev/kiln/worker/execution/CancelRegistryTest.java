package dev.kiln.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CancelRegistryTest {

  private final MutableClock clock = new MutableClock();

  @Test
  void cancellationAppliesToThatAttemptOnly() {
    CancelRegistry registry = new CancelRegistry(clock, Duration.ofHours(1), 100);
    UUID job = UUID.randomUUID();
    registry.cancel(job, 2);

    assertThat(registry.isCancelled(job, 2)).isTrue();
    assertThat(registry.isCancelled(job, 1)).isFalse();
    assertThat(registry.isCancelled(job, 3)).isFalse();
    assertThat(registry.isCancelled(UUID.randomUUID(), 2)).isFalse();
  }

  @Test
  void cancellationExpiresAfterItsTimeToLive() {
    CancelRegistry registry = new CancelRegistry(clock, Duration.ofHours(1), 100);
    UUID job = UUID.randomUUID();
    registry.cancel(job, 1);

    clock.advance(Duration.ofMinutes(59));
    assertThat(registry.isCancelled(job, 1)).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(registry.isCancelled(job, 1)).isFalse();

    registry.cancel(UUID.randomUUID(), 1);
    assertThat(registry.size()).as("expired entries are purged on insert").isEqualTo(1);
  }

  @Test
  void sizeIsCappedByDroppingTheOldestEntries() {
    CancelRegistry registry = new CancelRegistry(clock, Duration.ofHours(1), 3);
    UUID first = UUID.randomUUID();
    registry.cancel(first, 1);
    for (int i = 0; i < 3; i++) {
      registry.cancel(UUID.randomUUID(), 1);
    }

    assertThat(registry.size()).isEqualTo(3);
    assertThat(registry.isCancelled(first, 1)).isFalse();
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
