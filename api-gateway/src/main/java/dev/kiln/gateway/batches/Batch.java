package dev.kiln.gateway.batches;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Jobs submitted together; each job carries the batch id. */
@Entity
@Table(name = "batches")
public class Batch extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id")
  public String tenantId;

  @Column(name = "job_count")
  public int jobCount;

  @Column(name = "created_at")
  public Instant createdAt;
}
