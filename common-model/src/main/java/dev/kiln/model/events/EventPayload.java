package dev.kiln.model.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** The event-specific part of a {@link JobEvent}. The {@code type} property names the variant. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = EventPayload.JobStarted.class, name = EventPayload.JOB_STARTED),
  @JsonSubTypes.Type(value = EventPayload.StageStarted.class, name = EventPayload.STAGE_STARTED),
  @JsonSubTypes.Type(value = EventPayload.StageProgress.class, name = EventPayload.STAGE_PROGRESS),
  @JsonSubTypes.Type(
      value = EventPayload.StageCompleted.class,
      name = EventPayload.STAGE_COMPLETED),
  @JsonSubTypes.Type(
      value = EventPayload.ArtifactCreated.class,
      name = EventPayload.ARTIFACT_CREATED),
  @JsonSubTypes.Type(value = EventPayload.JobSucceeded.class, name = EventPayload.JOB_SUCCEEDED),
  @JsonSubTypes.Type(value = EventPayload.JobFailed.class, name = EventPayload.JOB_FAILED),
  @JsonSubTypes.Type(value = EventPayload.JobCancelled.class, name = EventPayload.JOB_CANCELLED),
  @JsonSubTypes.Type(value = EventPayload.JobQueued.class, name = EventPayload.JOB_QUEUED),
  @JsonSubTypes.Type(value = EventPayload.JobRetrying.class, name = EventPayload.JOB_RETRYING),
})
public sealed interface EventPayload {

  String JOB_QUEUED = "job.queued";
  String JOB_STARTED = "job.started";
  String STAGE_STARTED = "stage.started";
  String STAGE_PROGRESS = "stage.progress";
  String STAGE_COMPLETED = "stage.completed";
  String ARTIFACT_CREATED = "artifact.created";
  String JOB_SUCCEEDED = "job.succeeded";
  String JOB_FAILED = "job.failed";
  String JOB_CANCELLED = "job.cancelled";
  String JOB_RETRYING = "job.retrying";

  /** Every job event type, in the order a successful run emits them. */
  List<String> TYPES =
      List.of(
          JOB_QUEUED,
          JOB_STARTED,
          STAGE_STARTED,
          STAGE_PROGRESS,
          STAGE_COMPLETED,
          ARTIFACT_CREATED,
          JOB_SUCCEEDED,
          JOB_FAILED,
          JOB_CANCELLED,
          JOB_RETRYING);

  @JsonIgnore
  default String type() {
    return getClass().getAnnotation(EventType.class).value();
  }

  /** True for the events after which the attempt emits nothing more. */
  @JsonIgnore
  default boolean terminal() {
    return false;
  }

  /**
   * The job (re-)entered the queue; recorded by the gateway when a retry is requested.
   *
   * @param reason why, e.g. {@code retry}
   */
  @EventType(JOB_QUEUED)
  record JobQueued(String reason) implements EventPayload {}

  /**
   * A worker took the job.
   *
   * @param jobType the job type
   * @param stages the stage names of the pipeline, in order
   * @param capacity free slots of the worker after taking the job (diagnostic)
   * @param resumedAfter the last stage a previous run of this attempt completed and whose outputs
   *     this run reuses, or null when the run starts from the first stage
   */
  @EventType(JOB_STARTED)
  record JobStarted(String jobType, List<String> stages, Integer capacity, String resumedAfter)
      implements EventPayload {
    public JobStarted {
      stages = List.copyOf(stages);
    }

    /** A run from the first stage. */
    public JobStarted(String jobType, List<String> stages, Integer capacity) {
      this(jobType, stages, capacity, null);
    }
  }

  /**
   * An attempt failed retryably and another is scheduled; not terminal. The next attempt waits in
   * the broker (a delay queue), not in any worker.
   *
   * @param nextAttempt the attempt that will run
   * @param nextRunAt when it becomes due
   * @param code error code of the failed attempt
   * @param message what went wrong
   * @param stage the stage that failed, or null
   */
  @EventType(JOB_RETRYING)
  record JobRetrying(
      int nextAttempt, java.time.Instant nextRunAt, String code, String message, String stage)
      implements EventPayload {}

  /**
   * @param stage stage name
   * @param index zero-based position in the pipeline
   */
  @EventType(STAGE_STARTED)
  record StageStarted(String stage, int index) implements EventPayload {}

  /**
   * @param stage stage name
   * @param index zero-based position in the pipeline
   * @param progress 0 to 100 within the stage
   * @param message human-readable status of the stage, may be null
   */
  @EventType(STAGE_PROGRESS)
  record StageProgress(String stage, int index, int progress, String message)
      implements EventPayload {}

  /**
   * @param stage stage name
   * @param index zero-based position in the pipeline
   * @param durationMs wall time the stage took
   */
  @EventType(STAGE_COMPLETED)
  record StageCompleted(String stage, int index, long durationMs) implements EventPayload {}

  /**
   * An artifact is complete in the object store.
   *
   * @param name artifact name, unique within the job
   * @param objectKey {@code artifacts/{jobId}/{name}}
   * @param size bytes
   * @param contentType media type
   * @param sha256 lowercase hex digest of the bytes
   */
  @EventType(ARTIFACT_CREATED)
  record ArtifactCreated(
      String name, String objectKey, long size, String contentType, String sha256)
      implements EventPayload {}

  /**
   * @param durationMs wall time of the attempt
   */
  @EventType(JOB_SUCCEEDED)
  record JobSucceeded(long durationMs) implements EventPayload {
    @Override
    public boolean terminal() {
      return true;
    }
  }

  /**
   * @param code stable machine-readable error code
   * @param message human-readable explanation
   * @param retryable whether running again may succeed
   * @param stage the stage that failed, or null when the job failed outside a stage
   */
  @EventType(JOB_FAILED)
  record JobFailed(String code, String message, boolean retryable, String stage)
      implements EventPayload {
    @Override
    public boolean terminal() {
      return true;
    }
  }

  /**
   * @param reason why, e.g. {@code requested}
   * @param stage the stage that was running, or null when the job never started
   */
  @EventType(JOB_CANCELLED)
  record JobCancelled(String reason, String stage) implements EventPayload {
    @Override
    public boolean terminal() {
      return true;
    }
  }
}
