package dev.kiln.gateway.events;

import dev.kiln.gateway.jobs.JobStatus;
import dev.kiln.model.json.KilnJson;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.function.Consumer;

/** Reads stored events back in id order, a page at a time, for SSE replay. */
@ApplicationScoped
public class EventReplay {

  static final int PAGE = 500;

  /** why: a dashboard resuming the all-jobs stream after a long absence gets a bounded catch-up. */
  static final int MAX_GLOBAL_REPLAY = 50_000;

  private static final String SELECT =
      "select e.id, e.job_id, j.type, j.batch_id, e.attempt, e.seq, e.type, e.occurred_at,"
          + " e.source, e.payload::text, e.job_status, e.job_attempt, e.job_progress, e.job_stage,"
          + " e.run, j.tenant_id"
          + " from job_events e join jobs j on j.id = e.job_id where ";

  @Inject AgroalDataSource dataSource;

  /** Every event of a job after {@code afterId}; returns the last id sent. */
  public long job(UUID jobId, long afterId, Consumer<StoredEvent> sink) throws SQLException {
    return page("e.job_id = ? and e.id > ?", jobId, afterId, Long.MAX_VALUE, sink);
  }

  public long batch(UUID batchId, long afterId, Consumer<StoredEvent> sink) throws SQLException {
    return page("e.batch_id = ? and e.id > ?", batchId, afterId, Long.MAX_VALUE, sink);
  }

  /** Every event of one tenant's jobs after {@code afterId}, up to the global replay cap. */
  public long tenant(String tenantId, long afterId, Consumer<StoredEvent> sink)
      throws SQLException {
    return page("j.tenant_id = ? and e.id > ?", tenantId, afterId, MAX_GLOBAL_REPLAY, sink);
  }

  public long all(long afterId, Consumer<StoredEvent> sink) throws SQLException {
    // why: the cast gives the always-null key a type; "? is null" alone cannot be planned
    return page("cast(? as uuid) is null and e.id > ?", null, afterId, MAX_GLOBAL_REPLAY, sink);
  }

  /** Id of the terminal event of a job's attempt, or 0 when it has none (yet). */
  public long terminalEventId(UUID jobId, int attempt) throws SQLException {
    return singleLong(
        "select coalesce(max(id), 0) from job_events where job_id = ? and attempt = ? and type in"
            + " ('job.succeeded', 'job.failed', 'job.cancelled')",
        jobId,
        attempt);
  }

  /** The newest stored event id of a batch, 0 when it has none. */
  public long lastBatchEventId(UUID batchId) throws SQLException {
    return singleLong(
        "select coalesce(max(id), 0) from job_events where batch_id = ?", batchId, null);
  }

  private long singleLong(String sql, UUID key, Integer number) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, key);
      if (number != null) {
        ps.setInt(2, number);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  public boolean batchFinished(UUID batchId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(*) from jobs where batch_id = ? and status in ('queued','running')")) {
      ps.setObject(1, batchId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) == 0;
      }
    }
  }

  private long page(String where, Object key, long afterId, long max, Consumer<StoredEvent> sink)
      throws SQLException {
    long last = afterId;
    long sent = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(SELECT + where + " order by e.id limit " + PAGE)) {
      while (sent < max) {
        if (key instanceof String text) {
          ps.setString(1, text);
        } else {
          ps.setObject(1, key, java.sql.Types.OTHER);
        }
        ps.setLong(2, last);
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            StoredEvent event = read(rs);
            sink.accept(event);
            last = event.id();
            rows++;
            sent++;
          }
        }
        if (rows < PAGE) {
          break;
        }
      }
    }
    return last;
  }

  private static StoredEvent read(ResultSet rs) throws SQLException {
    try {
      return new StoredEvent(
          rs.getLong(1),
          rs.getObject(2, UUID.class),
          rs.getString(3),
          rs.getObject(4, UUID.class),
          rs.getInt(5),
          rs.getLong(6),
          rs.getString(7),
          rs.getTimestamp(8).toInstant(),
          rs.getString(9),
          rs.getObject(15, UUID.class),
          KilnJson.mapper().readTree(rs.getString(10)),
          new StoredEvent.JobSnapshot(
              JobStatus.parse(rs.getString(11)).orElseThrow(),
              rs.getInt(12),
              rs.getInt(13),
              rs.getString(14)),
          rs.getString(16));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SQLException("stored payload is not JSON", e);
    }
  }
}
