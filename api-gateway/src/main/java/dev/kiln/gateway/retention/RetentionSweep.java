package dev.kiln.gateway.retention;

import dev.kiln.gateway.storage.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Deletes finished jobs past their retention: their objects (inputs and artifacts), events, dead
 * letters and rows (artifacts and webhook deliveries go with the row). Runs on one replica at a
 * time (a transaction-scoped advisory lock), in batches of {@link RetentionConfig#batchSize()}.
 *
 * <p>Order within a batch: objects first, rows last, in one transaction. why: if removing objects
 * fails, the transaction rolls back and the next run tries again; if the commit fails after the
 * objects are gone, the rows are still expired and the next run finishes them. Rows never outlive
 * their objects' deletion for long, and no object is left without a row to find it by.
 */
@ApplicationScoped
public class RetentionSweep {

  private static final Logger LOG = Logger.getLogger(RetentionSweep.class);
  static final long LOCK_KEY = 0x6b696c6e2d7274L;

  // why the lateral lookup: per-type days travel as two arrays, so one statement serves any
  // configuration without building SQL from it
  private static final String CLAIM =
      "select j.id from jobs j join tenants t on t.id = j.tenant_id"
          + " cross join lateral (select coalesce(t.retention_days,"
          + "   (select r.days from unnest(?::text[], ?::int[]) as r(type, days)"
          + "    where r.type = j.type), ?) as days) d"
          + " where j.status in ('succeeded', 'failed', 'cancelled') and j.finished_at is not null"
          + " and j.finished_at < now() - make_interval(days =>"
          + "   case when j.status = 'failed' then greatest(d.days, ?) else d.days end)"
          + " order by j.finished_at limit ? for update of j skip locked";

  @Inject RetentionConfig config;
  @Inject ObjectStore store;
  @Inject EntityManager em;
  @Inject MeterRegistry registry;

  @Scheduled(
      every = "${kiln.retention.interval:10M}",
      delayed = "1M",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void run() {
    if (!config.enabled()) {
      return;
    }
    try {
      int deleted = sweep();
      if (deleted > 0) {
        LOG.infof("retention: deleted %d finished jobs past their retention", deleted);
      }
    } catch (RuntimeException e) {
      LOG.warnf("retention sweep failed, the next run tries again: %s", e.toString());
    }
  }

  /**
   * Deletes expired jobs batch by batch until none is left or another replica holds the sweep.
   *
   * @return how many jobs were deleted
   */
  public int sweep() {
    int total = 0;
    while (true) {
      int deleted = QuarkusTransaction.requiringNew().call(this::deleteOneBatch);
      total += deleted;
      if (deleted < config.batchSize()) {
        return total;
      }
    }
  }

  private int deleteOneBatch() throws Exception {
    Session session = em.unwrap(Session.class);
    List<UUID> ids = session.doReturningWork(c -> claim(c));
    if (ids.isEmpty()) {
      return 0;
    }
    for (UUID id : ids) {
      store.removePrefix("artifacts/" + id + "/");
      store.removePrefix("inputs/" + id + "/");
    }
    session.doWork(
        c -> {
          Array array = c.createArrayOf("uuid", ids.toArray());
          for (String sql :
              new String[] {
                "delete from job_events where job_id = any(?)",
                "delete from dead_letters where job_id = any(?)",
                "delete from jobs where id = any(?)"
              }) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setArray(1, array);
              ps.executeUpdate();
            }
          }
        });
    registry.counter("kiln_retention_deleted_jobs_total").increment(ids.size());
    return ids.size();
  }

  private List<UUID> claim(java.sql.Connection c) throws java.sql.SQLException {
    try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
      lock.setLong(1, LOCK_KEY);
      try (ResultSet rs = lock.executeQuery()) {
        if (!rs.next() || !rs.getBoolean(1)) {
          return List.of();
        }
      }
    }
    Map<String, Integer> byType = config.typeDays();
    List<UUID> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setArray(1, c.createArrayOf("text", byType.keySet().toArray()));
      ps.setArray(2, c.createArrayOf("int4", byType.values().toArray()));
      ps.setInt(3, config.days());
      ps.setInt(4, config.failedDays());
      ps.setInt(5, config.batchSize());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getObject(1, UUID.class));
        }
      }
    }
    return ids;
  }
}
