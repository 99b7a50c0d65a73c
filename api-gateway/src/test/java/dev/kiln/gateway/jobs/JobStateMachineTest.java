package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.jobs.JobStatus.CANCELLED;
import static dev.kiln.gateway.jobs.JobStatus.FAILED;
import static dev.kiln.gateway.jobs.JobStatus.QUEUED;
import static dev.kiln.gateway.jobs.JobStatus.RUNNING;
import static dev.kiln.gateway.jobs.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.jobs.JobStateMachine.Move;
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
          "RUNNING>QUEUED",
          "FAILED>QUEUED",
          "CANCELLED>QUEUED");

  private static final Set<String> MOVES =
      Set.of(
          "START:QUEUED>RUNNING",
          "SUCCEED:RUNNING>SUCCEEDED",
          "FAIL:QUEUED>FAILED",
          "FAIL:RUNNING>FAILED",
          "CANCEL:QUEUED>CANCELLED",
          "CANCEL:RUNNING>CANCELLED",
          "RETRY:FAILED>QUEUED",
          "RETRY:CANCELLED>QUEUED",
          "RESCHEDULE:RUNNING>QUEUED");

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
  void eachMoveStartsOnlyWhereDocumented() {
    for (Move move : Move.values()) {
      for (JobStatus from : JobStatus.values()) {
        assertThat(JobStateMachine.allows(from, move))
            .as("%s from %s", move, from)
            .isEqualTo(MOVES.contains(move + ":" + from + ">" + move.to()));
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
  void requireRejectsAMoveFromTheWrongStatus() {
    assertThatThrownBy(() -> JobStateMachine.require(RUNNING, Move.RETRY))
        .isInstanceOf(JobStateMachine.IllegalTransitionException.class)
        .hasMessageContaining("running")
        .hasMessageContaining("queued");
    assertThat(JobStateMachine.require(QUEUED, Move.START)).isEqualTo(RUNNING);
    assertThat(JobStateMachine.require(RUNNING, Move.RESCHEDULE)).isEqualTo(QUEUED);
  }

  @Test
  void onlyUnsuccessfulEndsCanBeRetriedByAClient() {
    Set<JobStatus> retryable = EnumSet.noneOf(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      if (JobStateMachine.allows(s, Move.RETRY)) {
        retryable.add(s);
      }
    }
    assertThat(retryable).containsExactlyInAnyOrder(FAILED, CANCELLED);
  }

  @Test
  void anAutomaticRetryMovesOnlyARunningJobBackToQueued() {
    Set<JobStatus> rescheduled = EnumSet.noneOf(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      if (JobStateMachine.allows(s, Move.RESCHEDULE)) {
        rescheduled.add(s);
      }
    }
    assertThat(rescheduled).containsExactly(RUNNING);
  }

  @Test
  void theNextAttemptIsScheduledForRunningAndQueuedJobsButNeverForEndedOnes() {
    // a queued job takes its next attempt without a transition: it stays queued
    assertThat(JobStateMachine.canScheduleNextAttempt(QUEUED)).isTrue();
    assertThat(JobStateMachine.allows(QUEUED, QUEUED)).isFalse();
    assertThat(JobStateMachine.canScheduleNextAttempt(RUNNING)).isTrue();
    for (JobStatus ended : EnumSet.of(SUCCEEDED, FAILED, CANCELLED)) {
      assertThat(JobStateMachine.canScheduleNextAttempt(ended)).as(ended.name()).isFalse();
    }
  }
}
