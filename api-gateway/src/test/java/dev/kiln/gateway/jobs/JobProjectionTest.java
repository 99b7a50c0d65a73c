package dev.kiln.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.fixtures.EventScript;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobProjectionTest {

  private final Instant now = Instant.parse("2026-11-21T10:00:00Z");
  private Job job;
  private EventScript worker;

  @BeforeEach
  void queuedJob() {
    job = new Job();
    job.id = UUID.randomUUID();
    job.type = "synthetic";
    job.status = JobStatus.QUEUED;
    job.attempt = 1;
    job.stages(List.of(new StageState("a"), new StageState("b")));
    worker = new EventScript(job.id, 1, "w1");
  }

  private JobProjection.Outcome apply(JobEvent e) {
    return JobProjection.apply(job, e, now);
  }

  @Test
  void aFullRunEndsSucceededWithEveryStageDone() {
    apply(worker.started("a", "b"));
    assertThat(job.status).isEqualTo(JobStatus.RUNNING);
    apply(worker.stageStarted("a", 0));
    apply(worker.progress("a", 0, 50));
    assertThat(job.currentStage).isEqualTo("a");
    assertThat(job.progress).isEqualTo(25);
    apply(worker.stageCompleted("a", 0));
    apply(worker.stageStarted("b", 1));
    apply(worker.progress("b", 1, 40));
    assertThat(job.progress).isEqualTo(70);
    apply(worker.stageCompleted("b", 1));
    JobProjection.Outcome end = apply(worker.succeeded());
    assertThat(end.finished()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.status).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.progress).isEqualTo(100);
    assertThat(job.finishedAt).isNotNull();
    assertThat(job.stages()).extracting(s -> s.status).containsOnly(StageState.SUCCEEDED);
  }

  @Test
  void aLateProgressEventNeverMovesAFinishedJobBackwards() {
    apply(worker.started("a"));
    JobEvent late = worker.progress("a", 0, 10);
    apply(worker.succeeded());
    JobProjection.Outcome outcome = apply(late);
    assertThat(outcome.changed()).isFalse();
    assertThat(job.status).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.progress).isEqualTo(100);
  }

  @Test
  void aSecondTerminalEventIsIgnored() {
    apply(worker.started("a"));
    apply(worker.failed("BOOM", false));
    JobProjection.Outcome again = apply(worker.succeeded());
    assertThat(again.finished()).isNull();
    assertThat(job.status).isEqualTo(JobStatus.FAILED);
    assertThat(job.errorCode).isEqualTo("BOOM");
  }

  @Test
  void eventsOfAnOlderAttemptAreIgnored() {
    job.attempt = 2;
    JobProjection.Outcome outcome = apply(worker.started("a"));
    assertThat(outcome.changed()).isFalse();
    assertThat(job.status).isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void failureRecordsCodeRetryabilityAndStage() {
    apply(worker.started("a"));
    apply(worker.stageStarted("a", 0));
    apply(worker.next(new EventPayload.JobFailed("DISK_FULL", "no space", true, "a")));
    assertThat(job.status).isEqualTo(JobStatus.FAILED);
    assertThat(job.errorRetryable).isTrue();
    assertThat(job.errorStage).isEqualTo("a");
    assertThat(job.stages().get(0).status).isEqualTo(StageState.FAILED);
  }

  @Test
  void artifactIsRecordedOnlyWhileRunning() {
    assertThat(apply(worker.artifact("x.bin", 3, "ab")).artifact()).isNull();
    apply(worker.started("a"));
    assertThat(apply(worker.artifact("x.bin", 3, "ab")).artifact().name()).isEqualTo("x.bin");
  }

  @Test
  void aRedeliveredJobKeepsItsCompletedStages() {
    apply(worker.started("a", "b"));
    apply(worker.stageStarted("a", 0));
    apply(worker.stageCompleted("a", 0));
    apply(worker.stageStarted("b", 1));
    EventScript second = new EventScript(job.id, 1, "w2");
    apply(second.started("a", "b"));
    assertThat(job.stages())
        .extracting(s -> s.status)
        .containsExactly(StageState.SUCCEEDED, StageState.PENDING);
    assertThat(job.progress).isEqualTo(50);
  }

  @Test
  void aJobWithoutStagesReportsZeroUntilItSucceeds() {
    apply(worker.started());
    assertThat(job.progress).isZero();
    apply(worker.succeeded());
    assertThat(job.progress).isEqualTo(100);
  }

  private JobEvent retrying(EventScript script, int nextAttempt) {
    return script.next(
        new EventPayload.JobRetrying(nextAttempt, now.plusSeconds(4), "FLAKY", "try again", "b"));
  }

  @Test
  void jobRetryingMovesARunningJobBackToQueuedAsTheNextAttempt() {
    apply(worker.started("a", "b"));
    apply(worker.stageStarted("a", 0));
    apply(worker.stageCompleted("a", 0));
    apply(worker.stageStarted("b", 1));
    JobProjection.Outcome outcome = apply(retrying(worker, 2));
    assertThat(outcome.rescheduled()).isTrue();
    assertThat(outcome.finished()).isNull();
    assertThat(job.status).isEqualTo(JobStatus.QUEUED);
    assertThat(job.attempt).isEqualTo(2);
    assertThat(job.progress).isZero();
    assertThat(job.currentStage).isNull();
    assertThat(job.startedAt).isNull();
    assertThat(job.stages())
        .extracting(s -> s.status)
        .containsExactly(StageState.PENDING, StageState.PENDING);
    assertThat(job.nextRunAt).isEqualTo(now.plusSeconds(4));
    assertThat(job.lastErrorCode).isEqualTo("FLAKY");
    assertThat(job.lastErrorMessage).isEqualTo("try again");
    assertThat(job.lastErrorStage).isEqualTo("b");
    assertThat(job.errorCode).isNull();
  }

  @Test
  void jobRetryingOfAQueuedJobKeepsItQueuedWithTheNextAttempt() {
    // the worker failed before its job.started was seen
    JobProjection.Outcome outcome = apply(retrying(worker, 2));
    assertThat(outcome.rescheduled()).isTrue();
    assertThat(job.status).isEqualTo(JobStatus.QUEUED);
    assertThat(job.attempt).isEqualTo(2);
    assertThat(job.lastErrorCode).isEqualTo("FLAKY");
  }

  @Test
  void afterJobRetryingTheOldAttemptChangesNothingAndTheNextOneRunsAndClearsThePendingRetry() {
    apply(worker.started("a"));
    JobEvent late = worker.progress("a", 0, 80);
    apply(retrying(worker, 2));
    assertThat(apply(late).changed()).isFalse();
    assertThat(apply(worker.succeeded()).changed()).isFalse();
    assertThat(job.status).isEqualTo(JobStatus.QUEUED);
    EventScript second = new EventScript(job.id, 2, "w2");
    apply(second.started("a"));
    assertThat(job.status).isEqualTo(JobStatus.RUNNING);
    assertThat(job.nextRunAt).isNull();
    assertThat(job.lastErrorCode).isNull();
    assertThat(apply(second.succeeded()).finished()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.attempt).isEqualTo(2);
  }

  @Test
  void jobRetryingNeverRevivesAnEndedJobOrGoesBackToAnEarlierAttempt() {
    apply(worker.started("a"));
    apply(worker.failed("BOOM", false));
    assertThat(apply(retrying(worker, 2)).changed()).isFalse();
    assertThat(job.status).isEqualTo(JobStatus.FAILED);
    assertThat(job.attempt).isEqualTo(1);

    queuedJob();
    apply(worker.started("a"));
    assertThat(apply(retrying(worker, 1)).changed()).isFalse();
    assertThat(job.status).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void anEndClearsAPendingRetry() {
    apply(retrying(worker, 2));
    EventScript second = new EventScript(job.id, 2, "w2");
    apply(second.failed("BAD_INPUT", false));
    assertThat(job.status).isEqualTo(JobStatus.FAILED);
    assertThat(job.nextRunAt).isNull();
    assertThat(job.lastErrorCode).isNull();
    assertThat(job.errorCode).isEqualTo("BAD_INPUT");
  }

  @Test
  void theNextAttemptReportingBeforeItsJobRetryingMovesTheJobOnAnyway() {
    apply(worker.started("a", "b"));
    apply(worker.stageStarted("a", 0));
    JobEvent announcement = retrying(worker, 2);
    // the worker parked the retry first; attempt 2 started before the announcement was stored
    EventScript second = new EventScript(job.id, 2, "w2");
    JobProjection.Outcome started = apply(second.started("a", "b"));
    assertThat(started.rescheduled()).isTrue();
    assertThat(job.status).isEqualTo(JobStatus.RUNNING);
    assertThat(job.attempt).isEqualTo(2);
    assertThat(job.stages()).extracting(s -> s.status).containsOnly(StageState.PENDING);
    assertThat(apply(announcement).changed()).isFalse();
    assertThat(job.status).isEqualTo(JobStatus.RUNNING);
    assertThat(apply(second.succeeded()).finished()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.attempt).isEqualTo(2);
  }

  @Test
  void anEndedJobIsNeverMovedOnByALaterAttemptNorBeyondItsPolicy() {
    apply(worker.started("a"));
    apply(worker.failed("BOOM", false));
    assertThat(apply(new EventScript(job.id, 2, "w2").started("a")).changed()).isFalse();
    assertThat(job.attempt).isEqualTo(1);

    queuedJob();
    // the default policy allows 3 attempts
    assertThat(apply(new EventScript(job.id, 4, "w9").started("a")).changed()).isFalse();
    assertThat(job.attempt).isEqualTo(1);
  }
}
