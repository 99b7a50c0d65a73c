package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.jobs.JobStatus.CANCELLED;
import static dev.kiln.gateway.jobs.JobStatus.FAILED;
import static dev.kiln.gateway.jobs.JobStatus.QUEUED;
import static dev.kiln.gateway.jobs.JobStatus.RUNNING;
import static dev.kiln.gateway.jobs.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStateMachineTest {

  private static final Set<String> ALLOWED =
      Set.of(
          "QUEUED>RUNNING",
          "QUEUED>FAILED",
          "QUEUED>CANCELLED",
          "RUNNING>SUCCEEDED",
          "RUNNING>FAILED",
          "RUNNING>CANCELLED",
          "FAILED>QUEUED",
          "CANCELLED>QUEUED");

  @Test
  void exactlyTheDocumentedTransitionsAreAllowed() {
    for (JobStatus from : JobStatus.values()) {
      for (JobStatus to : JobStatus.values()) {
        assertThat(JobStateMachine.allows(from, to))
            .as("%s -> %s", from, to)
            .isEqualTo(ALLOWED.contains(from + ">" + to));
      }
    }
  }

  @Test
  void succeededIsFinal() {
    for (JobStatus to : JobStatus.values()) {
      assertThat(JobStateMachine.allows(SUCCEEDED, to)).isFalse();
    }
  }

  @Test
  void noStatusMayBeEnteredFromItself() {
    for (JobStatus s : JobStatus.values()) {
      assertThat(JobStateMachine.allows(s, s)).as(s.name()).isFalse();
    }
  }

  @Test
  void requireRejectsMovingBackwards() {
    assertThatThrownBy(() -> JobStateMachine.require(RUNNING, QUEUED))
        .isInstanceOf(JobStateMachine.IllegalTransitionException.class)
        .hasMessageContaining("running")
        .hasMessageContaining("queued");
    assertThat(JobStateMachine.require(QUEUED, RUNNING)).isEqualTo(RUNNING);
  }

  @Test
  void onlyUnsuccessfulEndsCanBeRetried() {
    Set<JobStatus> retryable = EnumSet.noneOf(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      if (JobStateMachine.allows(s, QUEUED)) {
        retryable.add(s);
      }
    }
    assertThat(retryable).containsExactlyInAnyOrder(FAILED, CANCELLED);
  }
}
