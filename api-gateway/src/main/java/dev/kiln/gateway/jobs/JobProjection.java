package dev.kiln.gateway.jobs;

import dev.kiln.gateway.jobs.JobStateMachine.Move;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.EventPayload.ArtifactCreated;
import dev.kiln.model.events.EventPayload.JobCancelled;
import dev.kiln.model.events.EventPayload.JobFailed;
import dev.kiln.model.events.EventPayload.JobQueued;
import dev.kiln.model.events.EventPayload.JobRetrying;
import dev.kiln.model.events.EventPayload.JobStarted;
import dev.kiln.model.events.EventPayload.JobSucceeded;
import dev.kiln.model.events.EventPayload.StageCompleted;
import dev.kiln.model.events.EventPayload.StageProgress;
import dev.kiln.model.events.EventPayload.StageStarted;
import dev.kiln.model.events.JobEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds a stored event into its job row. Status moves are asked of {@link JobStateMachine}; an
 * event the machine refuses (late, duplicate, from an older attempt) is kept in the history but
 * changes nothing here.
 */
public final class JobProjection {

  private JobProjection() {}

  /**
   * What applying one event did.
   *
   * @param changed the row changed
   * @param finished the terminal status reached by this event, or null
   * @param artifact an artifact to record, or null
   * @param rescheduled the event replaced the job's attempt by the next one (job.retrying)
   */
  public record Outcome(
      boolean changed, JobStatus finished, ArtifactCreated artifact, boolean rescheduled) {
    static final Outcome IGNORED = new Outcome(false, null, null, false);
    static final Outcome CHANGED = new Outcome(true, null, null, false);

    /** The event decided how its attempt ended: the job ended, or the next attempt was set. */
    public boolean endedAttempt() {
      return finished != null || rescheduled;
    }
  }

  public static Outcome apply(Job job, JobEvent event, Instant now) {
    boolean skipped = catchUp(job, event, now);
    if (event.attempt() != job.attempt) {
      return Outcome.IGNORED;
    }
    Outcome outcome = fold(job, event, now);
    return skipped ? new Outcome(true, outcome.finished(), outcome.artifact(), true) : outcome;
  }

  /**
   * An event of a later attempt than the job's, while the job has not ended: a worker scheduled
   * that attempt, and its job.retrying has not been stored yet (a worker parks the retry first and
   * announces it after, so around a broker restart the next attempt can report first). The job
   * moves on to that attempt as job.retrying would have moved it; the announcement, when it comes,
   * changes nothing. Attempts beyond the job's policy are never believed.
   */
  private static boolean catchUp(Job job, JobEvent event, Instant now) {
    if (event.attempt() <= job.attempt
        || !JobStateMachine.canScheduleNextAttempt(job.status)
        || event.attempt() > job.policy().maxAttempts()) {
      return false;
    }
    if (JobStateMachine.allows(job.status, Move.RESCHEDULE)) {
      job.make(Move.RESCHEDULE, now);
    }
    job.beginAttempt(event.attempt(), now);
    return true;
  }

  private static Outcome fold(Job job, JobEvent event, Instant now) {
    if (job.lastEventAt == null || event.occurredAt().isAfter(job.lastEventAt)) {
      job.lastEventAt = event.occurredAt();
    }
    EventPayload payload = event.payload();
    return switch (payload) {
      case JobQueued q -> Outcome.IGNORED;
      case JobRetrying r -> reschedule(job, r, now);
      case JobStarted started -> start(job, started, event.occurredAt(), now);
      case StageStarted s ->
          updateStage(job, s.stage(), event.occurredAt(), now, StageState.RUNNING, 0, null);
      case StageProgress p ->
          updateStage(
              job,
              p.stage(),
              event.occurredAt(),
              now,
              StageState.RUNNING,
              p.progress(),
              p.message());
      case StageCompleted c ->
          updateStage(job, c.stage(), event.occurredAt(), now, StageState.SUCCEEDED, 100, null);
      case ArtifactCreated a ->
          job.status == JobStatus.RUNNING ? new Outcome(false, null, a, false) : Outcome.IGNORED;
      case JobSucceeded s -> finish(job, Move.SUCCEED, null, event.occurredAt(), now);
      case JobFailed f -> fail(job, f, event.occurredAt(), now);
      case JobCancelled c -> finish(job, Move.CANCEL, c.stage(), event.occurredAt(), now);
    };
  }

  private static Outcome start(Job job, JobStarted started, Instant at, Instant now) {
    if (job.status == JobStatus.RUNNING) {
      // why: a redelivered job (its worker died) starts again; stages that completed before keep
      // their state, the rest start over.
      List<StageState> previous = job.stages();
      List<StageState> stages = new ArrayList<>();
      for (String name : started.stages()) {
        StageState kept =
            previous.stream()
                .filter(s -> s.name.equals(name) && StageState.SUCCEEDED.equals(s.status))
                .findFirst()
                .orElse(new StageState(name));
        stages.add(kept);
      }
      job.stages(stages);
      job.progress = overall(stages);
      job.updatedAt = now;
      return Outcome.CHANGED;
    }
    if (!job.make(Move.START, now)) {
      return Outcome.IGNORED;
    }
    job.startedAt = at;
    job.stages(started.stages().stream().map(StageState::new).toList());
    job.progress = 0;
    job.clearPendingRetry();
    return Outcome.CHANGED;
  }

  /**
   * The current attempt failed retryably and the next one is scheduled: a running job goes back to
   * queued, a queued one (whose attempt never reported job.started) stays queued; either way it
   * starts over as the next attempt, and the events of the attempt it leaves change nothing from
   * now on.
   */
  private static Outcome reschedule(Job job, JobRetrying retrying, Instant now) {
    if (retrying.nextAttempt() <= job.attempt
        || !JobStateMachine.canScheduleNextAttempt(job.status)) {
      return Outcome.IGNORED;
    }
    if (JobStateMachine.allows(job.status, Move.RESCHEDULE)) {
      job.make(Move.RESCHEDULE, now);
    }
    job.beginAttempt(retrying.nextAttempt(), now);
    job.nextRunAt = retrying.nextRunAt();
    job.lastErrorCode = retrying.code();
    job.lastErrorMessage = retrying.message();
    job.lastErrorStage = retrying.stage();
    return new Outcome(true, null, null, true);
  }

  private static Outcome updateStage(
      Job job, String name, Instant at, Instant now, String status, int progress, String message) {
    if (job.status != JobStatus.RUNNING) {
      return Outcome.IGNORED;
    }
    List<StageState> stages = job.stages();
    StageState stage = stages.stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
    if (stage == null) {
      stage = new StageState(name);
      stages.add(stage);
    }
    if (StageState.RUNNING.equals(status) && stage.startedAt == null) {
      stage.startedAt = at;
    }
    if (StageState.SUCCEEDED.equals(status)) {
      stage.finishedAt = at;
    }
    stage.status = status;
    stage.progress = Math.max(0, Math.min(100, progress));
    if (message != null) {
      stage.message = message;
    }
    job.currentStage = StageState.SUCCEEDED.equals(status) ? job.currentStage : name;
    job.stages(stages);
    job.progress = overall(stages);
    job.updatedAt = now;
    return Outcome.CHANGED;
  }

  private static Outcome fail(Job job, JobFailed failed, Instant at, Instant now) {
    Outcome outcome = finish(job, Move.FAIL, failed.stage(), at, now);
    if (outcome.changed()) {
      job.errorCode = failed.code();
      job.errorMessage = failed.message();
      job.errorRetryable = failed.retryable();
      job.errorStage = failed.stage();
    }
    return outcome;
  }

  private static Outcome finish(Job job, Move move, String stageName, Instant at, Instant now) {
    if (!job.make(move, now)) {
      return Outcome.IGNORED;
    }
    JobStatus terminal = move.to();
    job.finishedAt = at;
    job.clearPendingRetry();
    List<StageState> stages = job.stages();
    for (StageState stage : stages) {
      if (StageState.RUNNING.equals(stage.status) || stage.name.equals(stageName)) {
        stage.status = terminal == JobStatus.FAILED ? StageState.FAILED : StageState.CANCELLED;
        if (terminal == JobStatus.SUCCEEDED) {
          stage.status = StageState.SUCCEEDED;
        }
        stage.finishedAt = at;
      }
    }
    job.stages(stages);
    job.progress = terminal == JobStatus.SUCCEEDED ? 100 : overall(stages);
    job.currentStage = null;
    return new Outcome(true, terminal, null, false);
  }

  /** Mean stage progress; a job without stages is 0 until it succeeds. */
  static int overall(List<StageState> stages) {
    if (stages.isEmpty()) {
      return 0;
    }
    int sum = 0;
    for (StageState s : stages) {
      sum += StageState.SUCCEEDED.equals(s.status) ? 100 : s.progress;
    }
    return sum / stages.size();
  }
}
