package dev.kiln.gateway.metrics;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The database reads behind the job and outbox gauges: one grouped query over unfinished jobs and
 * one bounded count of the outbox. Both use existing indexes or touch only unfinished rows, so they
 * stay cheap at the collector's pace whatever the size of the job history.
 */
@ApplicationScoped
public class JobGaugeQueries {

  /**
   * Running jobs per type, and per type the age of the queued job that has waited longest for a
   * worker. A queued job waits since its automatic retry became due ({@code next_run_at}) or else
   * since it was last queued ({@code updated_at}: submission, or a client's retry or requeue); one
   * whose retry is not due yet waits for its delay, not for a worker, so it does not count.
   */
  static final String BY_TYPE =
      "select type,"
          + " count(*) filter (where status = 'running'),"
          + " greatest(0, extract(epoch from now() - min(coalesce(next_run_at, updated_at))"
          + " filter (where status = 'queued')))"
          + " from jobs"
          + " where status = 'running'"
          + " or (status = 'queued' and (next_run_at is null or next_run_at <= now()))"
          + " group by type";

  /**
   * why the cap: during a broker outage the outbox grows by every submission; counting a million
   * rows every 15 s would add load exactly when the database is busiest. Past the cap the gauge
   * reads the cap, which is far above any alert threshold.
   */
  static final int OUTBOX_COUNT_CAP = 100_000;

  static final String OUTBOX =
      "select count(*) from (select 1 from outbox limit " + OUTBOX_COUNT_CAP + ") pending";

  /**
   * @param running running jobs per type (types without any are missing)
   * @param oldestQueuedAgeSeconds per type, seconds the longest-waiting queued job has waited
   */
  public record JobReading(Map<String, Long> running, Map<String, Double> oldestQueuedAgeSeconds) {}

  @Inject AgroalDataSource dataSource;

  public JobReading jobs() throws SQLException {
    Map<String, Long> running = new HashMap<>();
    Map<String, Double> oldest = new HashMap<>();
    try (Connection db = dataSource.getConnection();
        Statement st = db.createStatement();
        ResultSet rows = st.executeQuery(BY_TYPE)) {
      while (rows.next()) {
        String type = rows.getString(1);
        running.put(type, rows.getLong(2));
        double age = rows.getDouble(3);
        if (!rows.wasNull()) {
          oldest.put(type, age);
        }
      }
    }
    return new JobReading(running, oldest);
  }

  /** Outbox rows not yet confirmed by the broker, at most {@link #OUTBOX_COUNT_CAP}. */
  public long outboxPending() throws SQLException {
    try (Connection db = dataSource.getConnection();
        Statement st = db.createStatement();
        ResultSet rows = st.executeQuery(OUTBOX)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
