package dev.kiln.gateway.quota;

import dev.kiln.gateway.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;

/**
 * The cap on a tenant's queued plus running jobs, checked in the submission's transaction.
 *
 * <p>why two paths: counting under a per-tenant lock is exact, but it makes every submission of a
 * tenant wait for the one before it to commit, which halved single-submit throughput (`./kiln
 * bench`: 204 → 90 jobs/s). Far below the cap nothing can go wrong, so the count is taken without
 * the lock; within {@link QuotaConfig#exactWithin()} of the cap the lock is taken and the count
 * repeated, so near the cap two replicas can never both fill the last places.
 *
 * <p>why a short-lived snapshot: the count walks the tenant's active jobs, and under a stream of
 * single submissions it was the largest cost of each (PostgreSQL 48 CPU-seconds for 5,000 single
 * submits in `./kiln bench`, the partial index full of entries of jobs that had since finished). A
 * replica reuses a tenant's count for {@link QuotaConfig#usageSnapshot()}, adding what it let in
 * since, as long as that stays further than {@link QuotaConfig#exactWithin()} below the cap; closer
 * than that, it counts exactly under the lock as before.
 */
@ApplicationScoped
public class ActiveJobQuota {

  private static final String COUNT =
      "select (select max_active_jobs from tenants where id = ?1),"
          + " (select count(*) from jobs where tenant_id = ?1"
          + " and status in ('queued', 'running'))";

  @Inject EntityManager em;
  @Inject QuotaConfig config;
  private UsageSnapshots snapshots;

  @jakarta.annotation.PostConstruct
  void init() {
    snapshots = new UsageSnapshots(config.usageSnapshot());
  }

  /**
   * Refuses the submission with 429 QUOTA_EXCEEDED when {@code adding} more jobs would pass the
   * tenant's cap.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void check(String tenantId, int adding) {
    if (snapshots.admit(tenantId, adding, config.exactWithin(), System.nanoTime())) {
      return;
    }
    Usage usage = usage(tenantId);
    if (usage.active() + adding + config.exactWithin() <= usage.cap()) {
      snapshots.record(tenantId, usage.cap(), usage.active() + adding, System.nanoTime());
      return;
    }
    // the lock is released when the submission commits or rolls back
    em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
        .setParameter(1, "kiln.quota:" + tenantId)
        .getSingleResult();
    usage = usage(tenantId);
    if (usage.active() + adding > usage.cap()) {
      throw new ProblemException(
          429,
          "QUOTA_EXCEEDED",
          "Too many unfinished jobs",
          "the tenant has "
              + usage.active()
              + " queued or running jobs and may have "
              + usage.cap()
              + "; this request adds "
              + adding
              + ". Wait for jobs to finish or cancel some",
          List.of(),
          Map.of("limit", usage.cap(), "active", usage.active()));
    }
  }

  private record Usage(int cap, long active) {}

  private Usage usage(String tenantId) {
    Object[] row =
        (Object[]) em.createNativeQuery(COUNT).setParameter(1, tenantId).getSingleResult();
    int cap = row[0] == null ? config.maxActiveJobs() : ((Number) row[0]).intValue();
    return new Usage(cap, ((Number) row[1]).longValue());
  }
}
