package dev.kiln.gateway.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.ExecutionPolicy;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A job row. Status changes go through {@link JobStateMachine}; events through {@link
 * JobProjection}.
 */
@Entity
@Table(name = "jobs")
// why: an event changes a few columns (status, progress, stages, times); without this every
// update resent all 27, and PostgreSQL parsed the unchanged params, inputs and policy JSON again
@DynamicUpdate
public class Job extends PanacheEntityBase {

  private static final TypeReference<List<StageState>> STAGE_LIST = new TypeReference<>() {};

  @Id public UUID id;

  public String type;

  /** The tenant that submitted it; only that tenant's keys (and admins) see it. */
  @Column(name = "tenant_id")
  public String tenantId;

  @Convert(converter = JobStatusConverter.class)
  public JobStatus status;

  /** 1 for the first run; each retry adds one. Events of older attempts never move the job. */
  public int attempt;

  @Column(name = "batch_id")
  public UUID batchId;

  /** Validated parameters with defaults filled in, as JSON. */
  @ColumnTransformer(write = "?::jsonb")
  public String params;

  /** The inputs as the worker sees them ({@code InputRef} list), as JSON. */
  @ColumnTransformer(write = "?::jsonb")
  public String inputs;

  @Column(name = "notify_url")
  public String notifyUrl;

  /** Overall progress 0..100, derived from the stages. */
  public int progress;

  @Column(name = "current_stage")
  public String currentStage;

  @ColumnTransformer(write = "?::jsonb")
  @Column(name = "stages")
  public String stagesJson;

  @Column(name = "error_code")
  public String errorCode;

  @Column(name = "error_message")
  public String errorMessage;

  @Column(name = "error_retryable")
  public Boolean errorRetryable;

  @Column(name = "error_stage")
  public String errorStage;

  @Column(name = "cancel_requested")
  public boolean cancelRequested;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "last_event_at")
  public Instant lastEventAt;

  /**
   * Retries and timeout ({@link ExecutionPolicy} JSON); null for a job accepted before policies
   * existed, which then runs under {@link ExecutionPolicy#DEFAULT} like a message without one.
   */
  @ColumnTransformer(write = "?::jsonb")
  @Column(name = "policy")
  public String policyJson;

  /** While an automatic retry waits: when the next attempt becomes due. */
  @Column(name = "next_run_at")
  public Instant nextRunAt;

  /** While an automatic retry waits: why the previous attempt failed. */
  @Column(name = "last_error_code")
  public String lastErrorCode;

  @Column(name = "last_error_message")
  public String lastErrorMessage;

  @Column(name = "last_error_stage")
  public String lastErrorStage;

  public ExecutionPolicy policy() {
    try {
      return policyJson == null
          ? ExecutionPolicy.DEFAULT
          : KilnJson.mapper().readValue(policyJson, ExecutionPolicy.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void policy(ExecutionPolicy policy) {
    try {
      policyJson = KilnJson.mapper().writeValueAsString(policy);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<StageState> stages() {
    try {
      return stagesJson == null
          ? new ArrayList<>()
          : KilnJson.mapper().readValue(stagesJson, STAGE_LIST);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void stages(List<StageState> stages) {
    try {
      stagesJson = KilnJson.mapper().writeValueAsString(stages);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes {@code move} if {@link JobStateMachine} allows it from the current status. */
  public boolean make(JobStateMachine.Move move, Instant at) {
    if (!JobStateMachine.allows(status, move)) {
      return false;
    }
    status = move.to();
    updatedAt = at;
    return true;
  }

  /**
   * Replaces the current attempt by {@code next}, as a new attempt that has not run yet: stages
   * pending, no progress, no error. The status change, if any, is the caller's move.
   */
  public void beginAttempt(int next, Instant at) {
    attempt = next;
    clearError();
    clearPendingRetry();
    progress = 0;
    currentStage = null;
    startedAt = null;
    finishedAt = null;
    stages(stages().stream().map(s -> new StageState(s.name)).toList());
    updatedAt = at;
  }

  public void clearPendingRetry() {
    nextRunAt = null;
    lastErrorCode = null;
    lastErrorMessage = null;
    lastErrorStage = null;
  }

  public void clearError() {
    errorCode = null;
    errorMessage = null;
    errorRetryable = null;
    errorStage = null;
  }
}
