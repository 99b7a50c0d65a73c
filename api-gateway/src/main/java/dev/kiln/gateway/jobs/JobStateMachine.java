package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.jobs.JobStatus.CANCELLED;
import static dev.kiln.gateway.jobs.JobStatus.FAILED;
import static dev.kiln.gateway.jobs.JobStatus.QUEUED;
import static dev.kiln.gateway.jobs.JobStatus.RUNNING;
import static dev.kiln.gateway.jobs.JobStatus.SUCCEEDED;

import java.util.EnumSet;
import java.util.Set;

/**
 * The one place that decides which status changes are allowed. Events, API calls, the watchdog and
 * anything else that wants to move a job name the {@link Move} they make; nothing else compares
 * statuses to decide what comes next.
 *
 * <pre>
 *   queued ──► running ──► succeeded
 *     │  ▲        ├──────► failed ────┐
 *     │  └────────┤ reschedule        │
 *     │           └──────► cancelled ─┤ retry (new attempt)
 *     └──────────────────► cancelled  │
 *   queued ◄──────────────────────────┘
 * </pre>
 *
 * <p>Two moves lead back to {@code queued}, and they are kept apart on purpose: a client's {@link
 * Move#RETRY} is only for a job that ended unsuccessfully, while {@link Move#RESCHEDULE} is the
 * automatic retry of a running attempt (a worker's {@code job.retrying}, or the watchdog giving up
 * on a lost worker). A job that is still queued when its attempt is rescheduled (the worker failed
 * before its {@code job.started} was seen) makes no move at all: it stays queued and only its
 * attempt changes, see {@link #canScheduleNextAttempt}.
 */
public final class JobStateMachine {

  /** A named status change: where it may start and where it leads. */
  public enum Move {
    /** A worker reported {@code job.started}. */
    START(EnumSet.of(QUEUED), RUNNING),
    /** The attempt completed. */
    SUCCEED(EnumSet.of(RUNNING), SUCCEEDED),
    /**
     * The attempt failed for good. A worker that fails before reporting {@code job.started} (say,
     * its input is unreadable) still ends the job, so queued may fail directly.
     */
    FAIL(EnumSet.of(QUEUED, RUNNING), FAILED),
    /** The job was cancelled: by the gateway while queued, by its worker while running. */
    CANCEL(EnumSet.of(QUEUED, RUNNING), CANCELLED),
    /** A client asked for a new attempt of a job that ended unsuccessfully. */
    RETRY(EnumSet.of(FAILED, CANCELLED), QUEUED),
    /** A running attempt is given up and the next one is scheduled automatically. */
    RESCHEDULE(EnumSet.of(RUNNING), QUEUED);

    private final Set<JobStatus> from;
    private final JobStatus to;

    Move(Set<JobStatus> from, JobStatus to) {
      this.from = from;
      this.to = to;
    }

    public JobStatus to() {
      return to;
    }

    public boolean allowedFrom(JobStatus status) {
      return from.contains(status);
    }
  }

  private JobStateMachine() {}

  /** Whether any move leads from {@code from} to {@code to}: the status graph above. */
  public static boolean allows(JobStatus from, JobStatus to) {
    for (Move move : Move.values()) {
      if (move.to == to && move.allowedFrom(from)) {
        return true;
      }
    }
    return false;
  }

  public static boolean allows(JobStatus from, Move move) {
    return move.allowedFrom(from);
  }

  /** Returns where {@code move} leads, or throws when it is not allowed from {@code from}. */
  public static JobStatus require(JobStatus from, Move move) {
    if (!move.allowedFrom(from)) {
      throw new IllegalTransitionException(from, move.to);
    }
    return move.to;
  }

  /**
   * Whether a job in {@code status} can have its current attempt replaced by the next one
   * automatically. A running job does so by {@link Move#RESCHEDULE}. A queued job stays queued: its
   * attempt failed before it was seen running, so there is no status to change (queued to queued is
   * not a transition). A job that ended never gets a new attempt without a client asking.
   */
  public static boolean canScheduleNextAttempt(JobStatus status) {
    return status == QUEUED || allows(status, Move.RESCHEDULE);
  }

  /** A status change that {@link JobStateMachine} does not allow. */
  public static final class IllegalTransitionException extends IllegalStateException {
    private final JobStatus from;
    private final JobStatus to;

    IllegalTransitionException(JobStatus from, JobStatus to) {
      super("a " + from.wire() + " job cannot become " + to.wire());
      this.from = from;
      this.to = to;
    }

    public JobStatus from() {
      return from;
    }

    public JobStatus to() {
      return to;
    }
  }
}
