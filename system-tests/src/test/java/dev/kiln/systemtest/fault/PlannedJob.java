package dev.kiln.systemtest.fault;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * One synthetic job of a run, drawn from the run's seeded random source: its parameters, its retry
 * policy, when it is submitted, and the end its parameters ask for.
 *
 * @param offsetMillis when it is submitted, from the start of the run
 * @param cancelAfterArtifact for {@link Kind#CANCEL}: cancel only once its artifact exists
 * @param cancelDelayMillis for {@link Kind#CANCEL}: how long after running (or the artifact) the
 *     client cancels
 */
record PlannedJob(
    int index,
    Kind kind,
    long offsetMillis,
    int stages,
    int stageMillis,
    int artifactBytes,
    int failAtStage,
    String failCode,
    int maxAttempts,
    long baseDelayMs,
    boolean cancelAfterArtifact,
    long cancelDelayMillis,
    String idempotencyKey) {

  /** What the job's parameters ask for. */
  enum Kind {
    /** Runs to the end: {@code succeeded}. */
    SUCCEED,
    /** Fails non-retryably at a stage: {@code failed} with its code, not dead-lettered. */
    FAIL,
    /** Fails retryably on attempt 1 only: {@code succeeded} on a later attempt. */
    RETRY_THEN_SUCCEED,
    /** Fails retryably on every attempt: {@code failed} with its code, dead-lettered (rejected). */
    RETRY_EXHAUSTED,
    /** Cancelled by the client while running: {@code cancelled}, no objects left. */
    CANCEL,
    /**
     * Halts every worker that runs it: {@code failed} with {@code POISON_MESSAGE} or {@code
     * DELIVERY_LIMIT_EXCEEDED}, dead-lettered.
     */
    POISON,
    /** The small job submitted when the fault ends, to time the recovery: {@code succeeded}. */
    PROBE
  }

  static final String CANCEL_STAGE_MILLIS = "20000";

  /** The run's load: {@code count} jobs spread over {@code windowMillis}. */
  static List<PlannedJob> plan(Random random, int count, long windowMillis, String runName) {
    List<PlannedJob> jobs = new ArrayList<>(count);
    int cancels = Math.max(2, count / 30);
    int fails = count / 15;
    int retryThenSucceed = count / 15;
    int exhausted = count / 20;
    List<Kind> kinds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      kinds.add(
          i < cancels
              ? Kind.CANCEL
              : i < cancels + fails
                  ? Kind.FAIL
                  : i < cancels + fails + retryThenSucceed
                      ? Kind.RETRY_THEN_SUCCEED
                      : i < cancels + fails + retryThenSucceed + exhausted
                          ? Kind.RETRY_EXHAUSTED
                          : Kind.SUCCEED);
    }
    Collections.shuffle(kinds, random);
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      offsets.add((long) (random.nextDouble() * windowMillis));
    }
    offsets.sort(null);
    int lateCancels = 0;
    for (int i = 0; i < count; i++) {
      Kind kind = kinds.get(i);
      boolean late =
          kind == Kind.CANCEL && lateCancels < Math.max(1, cancels / 4) && random.nextBoolean();
      if (late) {
        lateCancels++;
      }
      jobs.add(draw(random, i, kind, offsets.get(i), late, runName));
    }
    return jobs;
  }

  private static PlannedJob draw(
      Random random, int index, Kind kind, long offset, boolean late, String runName) {
    int stages = random.nextInt(5);
    int stageMillis = random.nextInt(401);
    int artifactBytes = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(4096);
    int failAt = 0;
    String code = null;
    int maxAttempts = 0;
    long baseDelay = 0;
    long cancelDelay = 0;
    switch (kind) {
      case FAIL -> {
        stages = 1 + random.nextInt(4);
        failAt = 1 + random.nextInt(stages);
        code = "FAULT_SUITE_FAIL";
      }
      case RETRY_THEN_SUCCEED, RETRY_EXHAUSTED -> {
        stages = 1 + random.nextInt(4);
        failAt = 1 + random.nextInt(stages);
        code = kind == Kind.RETRY_EXHAUSTED ? "FAULT_SUITE_EXHAUSTED" : "FAULT_SUITE_FLAKY";
        // why: long enough that some retries wait in the broker's delay queues during the fault
        maxAttempts = kind == Kind.RETRY_EXHAUSTED ? 2 : 3;
        baseDelay = 500 + random.nextInt(2501);
      }
      case CANCEL -> {
        stages = 2;
        stageMillis = Integer.parseInt(CANCEL_STAGE_MILLIS);
        artifactBytes = 1 + random.nextInt(4096);
        cancelDelay = late ? 300 + random.nextInt(1500) : 300 + random.nextInt(2700);
      }
      default -> {}
    }
    UUID key = new UUID(random.nextLong(), random.nextLong());
    return new PlannedJob(
        index,
        kind,
        offset,
        stages,
        stageMillis,
        artifactBytes,
        failAt,
        code,
        maxAttempts,
        baseDelay,
        late,
        cancelDelay,
        runName + "-" + key);
  }

  static PlannedJob probe(Random random, String runName) {
    return new PlannedJob(
        -1,
        Kind.PROBE,
        0,
        1,
        0,
        0,
        0,
        null,
        0,
        0,
        false,
        0,
        runName + "-probe-" + random.nextLong());
  }

  /**
   * A job that runs long enough to be on a worker when the poison message halts it, more than once;
   * it must still succeed.
   */
  static PlannedJob longInnocent(Random random, int n, String runName) {
    return new PlannedJob(
        -10 - n,
        Kind.SUCCEED,
        0,
        3,
        3000,
        2048,
        0,
        null,
        0,
        0,
        false,
        0,
        runName + "-long-" + new UUID(random.nextLong(), random.nextLong()));
  }

  static PlannedJob poison(Random random, String runName) {
    return new PlannedJob(
        -2,
        Kind.POISON,
        0,
        2,
        100,
        0,
        0,
        null,
        0,
        0,
        false,
        0,
        runName + "-poison-" + random.nextLong());
  }

  /** The POST /api/v1/jobs body. */
  String body() {
    StringBuilder params = new StringBuilder();
    params.append("{\"stages\":").append(stages);
    params.append(",\"stageMillis\":").append(stageMillis);
    params.append(",\"artifactBytes\":").append(artifactBytes);
    if (failAtStage > 0) {
      params.append(",\"failAtStage\":").append(failAtStage);
      params.append(",\"failCode\":\"").append(failCode).append('"');
      params.append(",\"failRetryable\":").append(kind != Kind.FAIL);
      if (kind == Kind.RETRY_THEN_SUCCEED) {
        params.append(",\"failAttempts\":1");
      }
    }
    if (kind == Kind.POISON) {
      params.append(",\"crashWorkerAtStage\":1");
    }
    params.append('}');
    StringBuilder body = new StringBuilder("{\"type\":\"synthetic\",\"params\":").append(params);
    if (maxAttempts > 0) {
      body.append(",\"retry\":{\"maxAttempts\":").append(maxAttempts);
      body.append(",\"baseDelayMs\":").append(baseDelayMs);
      body.append(",\"maxDelayMs\":").append(baseDelayMs * 2).append('}');
    }
    return body.append('}').toString();
  }

  /** The status it must end in. */
  String expectedStatus() {
    return switch (kind) {
      case SUCCEED, RETRY_THEN_SUCCEED, PROBE -> "succeeded";
      case FAIL, RETRY_EXHAUSTED, POISON -> "failed";
      case CANCEL -> "cancelled";
    };
  }

  /**
   * The error codes it may end with (none for a success). A poison message is failed by a worker
   * that recognises it ({@code POISON_MESSAGE}) or, as the backstop, by the broker's delivery limit
   * ({@code DELIVERY_LIMIT_EXCEEDED}); both are documented ends of a message that kills workers.
   */
  Set<String> expectedErrorCodes() {
    if (kind == Kind.POISON) {
      return Set.of("POISON_MESSAGE", "DELIVERY_LIMIT_EXCEEDED");
    }
    return expectedStatus().equals("failed") ? Set.of(failCode) : Collections.singleton(null);
  }

  /** The reasons its dead letter may give; empty when it must not be dead-lettered. */
  Set<String> expectedDeadLetters() {
    return switch (kind) {
      case RETRY_EXHAUSTED -> Set.of("rejected");
      case POISON -> Set.of("rejected", "delivery_limit");
      default -> Set.of();
    };
  }

  /** Whether it must end with the synthetic artifact (of {@link #artifactBytes} bytes). */
  boolean expectsArtifact() {
    return expectedStatus().equals("succeeded") && stages > 0 && artifactBytes > 0;
  }
}
