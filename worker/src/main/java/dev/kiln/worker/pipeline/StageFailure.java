package dev.kiln.worker.pipeline;

/** An expected failure of a stage, reported as {@code job.failed} with its code. */
public class StageFailure extends Exception {

  private final String code;
  private final boolean retryable;

  /**
   * @param code stable machine-readable code, e.g. {@code INPUT_UNREADABLE}
   * @param message human-readable explanation shown to the client: no secrets or local paths
   * @param retryable whether running the job again may succeed
   */
  public StageFailure(String code, String message, boolean retryable) {
    super(message);
    this.code = code;
    this.retryable = retryable;
  }

  public StageFailure(String code, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.retryable = retryable;
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }
}
