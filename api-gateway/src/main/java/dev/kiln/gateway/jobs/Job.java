package dev.kiln.gateway.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.model.json.KilnJson;
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

/**
 * A job row. Status changes go through {@link JobStateMachine}; events through {@link
 * JobProjection}.
 */
@Entity
@Table(name = "jobs")
public class Job extends PanacheEntityBase {

  private static final TypeReference<List<StageState>> STAGE_LIST = new TypeReference<>() {};

  @Id public UUID id;

  public String type;

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

  /** Moves the job to {@code next} if {@link JobStateMachine} allows it. */
  public boolean moveTo(JobStatus next, Instant at) {
    if (!JobStateMachine.allows(status, next)) {
      return false;
    }
    status = next;
    updatedAt = at;
    return true;
  }

  public void clearError() {
    errorCode = null;
    errorMessage = null;
    errorRetryable = null;
    errorStage = null;
  }
}
