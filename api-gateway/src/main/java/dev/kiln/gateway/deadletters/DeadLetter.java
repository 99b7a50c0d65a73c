package dev.kiln.gateway.deadletters;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A message a work queue dead-lettered: the last attempt of its job failed, or it went past the
 * delivery limit (a poison message that kept killing workers). Written by {@link DeadLetterIntake},
 * removed when requeued.
 */
@Entity
@Table(name = "dead_letters")
public class DeadLetter extends PanacheEntityBase {

  @Id public UUID id;

  /** Null when the body is not a job message. */
  @Column(name = "job_id")
  public UUID jobId;

  @Column(name = "job_type")
  public String jobType;

  public Integer attempt;

  /**
   * Why it died, from the newest {@code x-death} entry: {@code rejected}, {@code delivery_limit}…
   */
  public String reason;

  /** The queue it died in. */
  public String queue;

  /** How many times it died there for that reason. */
  @Column(name = "death_count")
  public long deathCount;

  /** The body: the JobMessage JSON (a JSON string when the body was not JSON). */
  @ColumnTransformer(write = "?::jsonb")
  public String message;

  @Column(name = "created_at")
  public Instant createdAt;
}
