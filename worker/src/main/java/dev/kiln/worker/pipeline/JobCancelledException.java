package dev.kiln.worker.pipeline;

/**
 * Thrown by {@link StageContext#progress} and {@link StageContext#checkCancelled} once the job was
 * cancelled. Stages let it propagate.
 */
public class JobCancelledException extends RuntimeException {

  public JobCancelledException() {
    // why: thrown as control flow on every cancellation; a stack trace would only be noise
    super("job cancelled", null, false, false);
  }
}
