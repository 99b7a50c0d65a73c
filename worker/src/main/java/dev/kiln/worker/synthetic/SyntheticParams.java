package dev.kiln.worker.synthetic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parameters of the synthetic job type. The gateway fills in defaults; the fallbacks here match the
 * descriptor so a hand-published message behaves the same.
 *
 * @param failAttempts when above 0, the failure at {@code failAtStage} is injected only on attempts
 *     up to this one, so "fails twice, then succeeds" can be asked for
 * @param crashWorkerAtStage 1-based stage at whose start the worker halts its JVM (only with {@code
 *     kiln.worker.fault-injection}); 0 never
 */
record SyntheticParams(
    int stages,
    long stageMillis,
    long artifactBytes,
    int failAtStage,
    boolean failRetryable,
    String failCode,
    int failAttempts,
    int crashWorkerAtStage) {

  static final int DEFAULT_STAGES = 3;
  static final long DEFAULT_STAGE_MILLIS = 500;
  static final long DEFAULT_ARTIFACT_BYTES = 1024;
  static final String DEFAULT_FAIL_CODE = "SYNTHETIC_FAILURE";

  static SyntheticParams from(JsonNode params) {
    return new SyntheticParams(
        params.path("stages").asInt(DEFAULT_STAGES),
        params.path("stageMillis").asLong(DEFAULT_STAGE_MILLIS),
        params.path("artifactBytes").asLong(DEFAULT_ARTIFACT_BYTES),
        params.path("failAtStage").asInt(0),
        params.path("failRetryable").asBoolean(false),
        params.path("failCode").asText(DEFAULT_FAIL_CODE),
        params.path("failAttempts").asInt(0),
        params.path("crashWorkerAtStage").asInt(0));
  }

  /** Whether the injected failure happens on {@code attempt}. */
  boolean failsOn(int attempt) {
    return failAttempts <= 0 || attempt <= failAttempts;
  }
}
