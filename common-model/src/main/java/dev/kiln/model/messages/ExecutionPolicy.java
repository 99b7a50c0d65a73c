package dev.kiln.model.messages;

/**
 * How a job is retried and how long one attempt may run. Job types declare defaults in their
 * descriptor; a submission may override them; the gateway resolves the two and sends the result
 * with every {@link JobMessage}.
 *
 * @param maxAttempts attempts in all, the first included (1 means no retry)
 * @param retryBaseMillis delay before the first retry; each further retry doubles it
 * @param retryCapMillis the longest delay between two attempts
 * @param timeoutMillis how long one attempt may run before it is aborted as {@code JOB_TIMEOUT}
 */
public record ExecutionPolicy(
    int maxAttempts, long retryBaseMillis, long retryCapMillis, long timeoutMillis) {

  /** Defaults for types that declare none: 3 attempts, 2 s base, 5 min cap, 1 h per attempt. */
  public static final ExecutionPolicy DEFAULT = new ExecutionPolicy(3, 2_000, 300_000, 3_600_000);

  public ExecutionPolicy {
    if (maxAttempts < 1
        || retryBaseMillis < 0
        || retryCapMillis < retryBaseMillis
        || timeoutMillis < 1) {
      throw new IllegalArgumentException("invalid execution policy");
    }
  }

  /**
   * Delay before attempt {@code nextAttempt} (2 for the first retry): exponential, capped, with
   * "equal jitter" (half fixed, half random) so retries of many jobs that failed together spread
   * out instead of hitting the same dependency at the same moment.
   *
   * @param random a number in [0, 1)
   */
  public long retryDelayMillis(int nextAttempt, double random) {
    int exponent = Math.max(0, Math.min(30, nextAttempt - 2));
    long exponential = Math.min(retryCapMillis, retryBaseMillis << exponent);
    long half = exponential / 2;
    return half + (long) (random * (exponential - half));
  }

  /** Whether an attempt that failed retryably may be followed by another. */
  public boolean allowsRetryAfter(int attempt) {
    return attempt < maxAttempts;
  }
}
