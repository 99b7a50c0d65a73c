package dev.kiln.model.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecutionPolicyTest {

  private final ExecutionPolicy policy = new ExecutionPolicy(5, 2_000, 30_000, 60_000);

  @Test
  void delaysDoubleFromTheBaseWithEqualJitter() {
    assertThat(policy.retryDelayMillis(2, 0.0)).isEqualTo(1_000);
    assertThat(policy.retryDelayMillis(2, 0.999)).isBetween(1_990L, 2_000L);
    assertThat(policy.retryDelayMillis(3, 0.0)).isEqualTo(2_000);
    assertThat(policy.retryDelayMillis(4, 0.0)).isEqualTo(4_000);
  }

  @Test
  void delaysNeverExceedTheCap() {
    for (int attempt = 2; attempt < 100; attempt++) {
      assertThat(policy.retryDelayMillis(attempt, 0.999)).isLessThanOrEqualTo(30_000);
    }
    assertThat(policy.retryDelayMillis(50, 0.0)).isEqualTo(15_000);
  }

  @Test
  void retryIsAllowedUntilTheLastAttempt() {
    assertThat(policy.allowsRetryAfter(4)).isTrue();
    assertThat(policy.allowsRetryAfter(5)).isFalse();
  }

  @Test
  void nonsensePoliciesAreRefused() {
    assertThatThrownBy(() -> new ExecutionPolicy(0, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ExecutionPolicy(1, 10, 5, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
