package dev.kiln.gateway.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.gateway.artifacts.ArtifactView;
import dev.kiln.model.json.KilnJson;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A whole job as {@code GET /api/v1/jobs/{id}} shows it.
 *
 * @param attempt the current attempt, 1 for the first run
 * @param maxAttempts attempts the policy allows in all
 * @param retry the retry policy the job runs under (the type's defaults with the request's
 *     overrides)
 * @param timeoutSeconds how long one attempt may run
 * @param nextRunAt while an automatic retry waits: when the next attempt is due
 * @param lastError while an automatic retry waits: why the previous attempt failed
 */
public record JobView(
    UUID id,
    String type,
    JobStatus status,
    int attempt,
    int maxAttempts,
    Policies.Retry retry,
    long timeoutSeconds,
    Instant nextRunAt,
    LastErrorView lastError,
    UUID batchId,
    JsonNode params,
    JsonNode inputs,
    String notifyUrl,
    int progress,
    String currentStage,
    List<StageState> stages,
    List<ArtifactView> artifacts,
    ErrorView error,
    boolean cancelRequested,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant updatedAt,
    JobLinks links) {

  /**
   * @param code stable error code
   * @param message what went wrong
   * @param retryable whether a retry may succeed
   * @param stage the stage that failed
   */
  public record ErrorView(String code, String message, Boolean retryable, String stage) {}

  /**
   * @param code stable error code of the failed attempt
   * @param message what went wrong
   * @param stage the stage that failed, or null
   */
  public record LastErrorView(String code, String message, String stage) {}

  public static JobView of(Job job, List<ArtifactView> artifacts) {
    return of(job, artifacts, null);
  }

  /**
   * @param thumbnailArtifact the type's thumbnail artifact name; linked only when among {@code
   *     artifacts}
   */
  public static JobView of(Job job, List<ArtifactView> artifacts, String thumbnailArtifact) {
    String thumbnail =
        thumbnailArtifact != null
                && artifacts.stream().anyMatch(a -> a.name().equals(thumbnailArtifact))
            ? thumbnailArtifact
            : null;
    try {
      var policy = job.policy();
      return new JobView(
          job.id,
          job.type,
          job.status,
          job.attempt,
          policy.maxAttempts(),
          Policies.Retry.of(policy),
          Policies.timeoutSeconds(policy),
          job.nextRunAt,
          job.lastErrorCode == null
              ? null
              : new LastErrorView(job.lastErrorCode, job.lastErrorMessage, job.lastErrorStage),
          job.batchId,
          KilnJson.mapper().readTree(job.params),
          KilnJson.mapper().readTree(job.inputs),
          job.notifyUrl,
          job.progress,
          job.currentStage,
          job.stages(),
          artifacts,
          job.errorCode == null
              ? null
              : new ErrorView(job.errorCode, job.errorMessage, job.errorRetryable, job.errorStage),
          job.cancelRequested,
          job.createdAt,
          job.startedAt,
          job.finishedAt,
          job.updatedAt,
          JobLinks.of(job.id, thumbnail));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored job JSON is unreadable", e);
    }
  }
}
