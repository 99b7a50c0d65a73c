package dev.kiln.gateway.tenants;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A customer of the cluster; jobs, batches and keys belong to one. */
@Entity
@Table(name = "tenants")
public class Tenant extends PanacheEntityBase {

  @Id public String id;

  public String name;

  /** Webhook target of jobs without a notifyUrl of their own, or null. */
  @Column(name = "default_notify_url")
  public String defaultNotifyUrl;

  /** Cap on queued + running jobs, or null for the gateway's default. */
  @Column(name = "max_active_jobs")
  public Integer maxActiveJobs;

  /** Submit requests per second each of the tenant's keys may make, or null for the default. */
  @Column(name = "submits_per_second")
  public Double submitsPerSecond;

  /** Size of each key's submit bucket, or null for the default. */
  @Column(name = "submit_burst")
  public Integer submitBurst;

  /** Days the tenant's finished jobs are kept, or null for the job type's or gateway's default. */
  @Column(name = "retention_days")
  public Integer retentionDays;

  /** Bumped to rotate the webhook secret, which is derived from the gateway's secret key. */
  @Column(name = "webhook_secret_generation")
  public int webhookSecretGeneration;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
