package dev.kiln.gateway.artifacts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An artifact a worker reported with {@code artifact.created}. */
@Entity
@Table(name = "job_artifacts")
@IdClass(JobArtifact.Key.class)
public class JobArtifact extends PanacheEntityBase {

  /** Composite key: artifact names are unique within a job. */
  public record Key(UUID jobId, String name) implements Serializable {
    public Key() {
      this(null, null);
    }
  }

  @Id
  @Column(name = "job_id")
  public UUID jobId;

  @Id public String name;

  @Column(name = "object_key")
  public String objectKey;

  public long size;

  @Column(name = "content_type")
  public String contentType;

  public String sha256;

  @Column(name = "created_at")
  public Instant createdAt;

  public static List<JobArtifact> ofJob(UUID jobId) {
    return list("jobId = ?1 order by name", jobId);
  }
}
