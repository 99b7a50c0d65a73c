package dev.kiln.model.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopologyTest {

  @Test
  void retryStepsRoundDelaysUpWithinAQuarter() {
    for (long delay = 250; delay <= 3_600_000; delay += 997) {
      long step = Topology.retryStep(delay);
      assertThat(step).isGreaterThanOrEqualTo(delay);
      assertThat((double) step).isLessThanOrEqualTo(delay * 1.3 + 50);
    }
  }

  @Test
  void delaysBeyondTheLastStepUseTheLastStep() {
    assertThat(Topology.retryStep(10 * 3_600_000L)).isEqualTo(Topology.retryStep(3_600_000));
    assertThat(Topology.retryStep(0)).isEqualTo(250);
  }

  @Test
  void aTypeNeedsFewDelayQueues() {
    assertThat(Topology.RETRY_STEPS_MS.length).isLessThan(50);
  }
}
