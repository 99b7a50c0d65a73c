package dev.kiln.gateway.jobs;

import dev.kiln.model.jobtypes.FieldError;
import dev.kiln.model.messages.ExecutionPolicy;
import java.util.List;

/**
 * Execution policies in the API's words: {@code retry: {maxAttempts, baseDelayMs, maxDelayMs}} and
 * {@code timeoutSeconds}. A submission's fields are checked and laid over the job type's defaults;
 * the result is the {@link ExecutionPolicy} stored with the job and sent with every attempt.
 */
public final class Policies {

  static final int MAX_ATTEMPTS = 20;
  static final long MAX_BASE_DELAY_MS = 3_600_000;
  static final long MAX_DELAY_MS = 86_400_000;
  static final int MAX_TIMEOUT_SECONDS = 86_400;

  private Policies() {}

  /**
   * How failed attempts are retried.
   *
   * @param maxAttempts attempts in all, the first included (1 means no retry), 1 to 20
   * @param baseDelayMs delay before the first retry, doubled for each further one (with jitter), 0
   *     to 3,600,000
   * @param maxDelayMs the longest delay between two attempts, at least {@code baseDelayMs}, at most
   *     86,400,000
   */
  public record Retry(Integer maxAttempts, Long baseDelayMs, Long maxDelayMs) {
    public static Retry of(ExecutionPolicy policy) {
      return new Retry(policy.maxAttempts(), policy.retryBaseMillis(), policy.retryCapMillis());
    }
  }

  /** How long one attempt may run, in whole seconds (rounded up). */
  public static long timeoutSeconds(ExecutionPolicy policy) {
    return (policy.timeoutMillis() + 999) / 1000;
  }

  /**
   * The policy of a submission: each field given overrides the type's default. When only {@code
   * baseDelayMs} is given and exceeds the default cap, the cap rises to it.
   *
   * @param prefix path of the request's fields, e.g. {@code jobs[3].}
   * @return the policy, or null when a field is invalid (the problems are added to {@code errors})
   */
  static ExecutionPolicy resolve(
      ExecutionPolicy defaults,
      Retry retry,
      Integer timeoutSeconds,
      List<FieldError> errors,
      String prefix) {
    int before = errors.size();
    Integer attempts = retry == null ? null : retry.maxAttempts();
    Long base = retry == null ? null : retry.baseDelayMs();
    Long cap = retry == null ? null : retry.maxDelayMs();
    range(errors, prefix + "retry.maxAttempts", attempts, 1, MAX_ATTEMPTS);
    range(errors, prefix + "retry.baseDelayMs", base, 0, MAX_BASE_DELAY_MS);
    range(errors, prefix + "retry.maxDelayMs", cap, 0, MAX_DELAY_MS);
    range(errors, prefix + "timeoutSeconds", timeoutSeconds, 1, MAX_TIMEOUT_SECONDS);
    long effectiveBase = base != null ? base : defaults.retryBaseMillis();
    if (cap != null && cap >= 0 && cap < effectiveBase) {
      errors.add(
          new FieldError(
              prefix + "retry.maxDelayMs",
              "OUT_OF_RANGE",
              "must be at least baseDelayMs (" + effectiveBase + ")"));
    }
    if (errors.size() > before) {
      return null;
    }
    return new ExecutionPolicy(
        attempts != null ? attempts : defaults.maxAttempts(),
        effectiveBase,
        cap != null ? cap : Math.max(defaults.retryCapMillis(), effectiveBase),
        timeoutSeconds != null ? timeoutSeconds * 1000L : defaults.timeoutMillis());
  }

  private static void range(
      List<FieldError> errors, String field, Number value, long min, long max) {
    if (value != null && (value.longValue() < min || value.longValue() > max)) {
      errors.add(new FieldError(field, "OUT_OF_RANGE", "must be between " + min + " and " + max));
    }
  }
}
