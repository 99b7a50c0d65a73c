package dev.kiln.gateway.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** One audited action. */
@Entity
@Table(name = "audit_log")
public class AuditEntry extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  public Instant at;

  /** The acting key's prefix, or {@code system}. */
  public String actor;

  @Column(name = "actor_tenant")
  public String actorTenant;

  /** e.g. {@code key.created}, {@code job.cancelled} */
  public String action;

  /** What was acted on: a key id, a job id, a tenant id, a dead letter id. */
  public String target;

  /** The tenant whose thing it was. */
  @Column(name = "tenant_id")
  public String tenantId;

  /** Action-specific facts as JSON (never a secret). */
  @ColumnTransformer(write = "?::jsonb")
  public String details;
}
