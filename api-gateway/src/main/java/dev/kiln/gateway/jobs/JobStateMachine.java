package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.jobs.JobStatus.CANCELLED;
import static dev.kiln.gateway.jobs.JobStatus.FAILED;
import static dev.kiln.gateway.jobs.JobStatus.QUEUED;
import static dev.kiln.gateway.jobs.JobStatus.RUNNING;
import static dev.kiln.gateway.jobs.JobStatus.SUCCEEDED;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one place that decides which status changes are allowed. Events, API calls and anything else
 * that wants to move a job go through {@link #allows} or {@link #require}; nothing else compares
 * statuses to decide what comes next.
 *
 * <pre>
 *   queued ──► running ──► succeeded
 *     │           ├──────► failed ────┐
 *     │           └──────► cancelled ─┤ retry (new attempt)
 *     └──────────────────► cancelled  │
 *   queued ◄──────────────────────────┘
 * </pre>
 */
public final class JobStateMachine {

  private static final Map<JobStatus, Set<JobStatus>> ALLOWED = new EnumMap<>(JobStatus.class);

  static {
    // why: a worker that fails before reporting job.started (say, its input is unreadable) still
    // ends the job, so queued may go straight to failed; succeeded always follows running.
    ALLOWED.put(QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED));
    ALLOWED.put(RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED));
    // why: a retry is a new attempt of the same job; only an ended-but-unsuccessful job has one.
    ALLOWED.put(FAILED, EnumSet.of(QUEUED));
    ALLOWED.put(CANCELLED, EnumSet.of(QUEUED));
    ALLOWED.put(SUCCEEDED, EnumSet.noneOf(JobStatus.class));
  }

  private JobStateMachine() {}

  public static boolean allows(JobStatus from, JobStatus to) {
    return ALLOWED.get(from).contains(to);
  }

  /** Returns {@code to}, or throws when the move is not allowed. */
  public static JobStatus require(JobStatus from, JobStatus to) {
    if (!allows(from, to)) {
      throw new IllegalTransitionException(from, to);
    }
    return to;
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
