package dev.kiln.systemtest.fault;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the private database directly: the job rows, the stored event history ({@code job_events},
 * whose {@code id} is the SSE id and whose {@code (run, seq)} is the emitter's numbering) and the
 * dead letters. Every call opens its own connection and retries for a while, since the database may
 * just have been restarted.
 */
final class Db {

  static final Duration RETRY_FOR = Duration.ofSeconds(60);

  record JobRow(UUID id, String status, int attempt, String errorCode, String currentStage) {
    boolean terminal() {
      return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
    }
  }

  record EventRow(
      long id,
      int attempt,
      long seq,
      String type,
      UUID run,
      String source,
      String payload,
      Instant storedAt) {

    /** A text field of the payload, or null. */
    String field(String name) {
      try {
        com.fasterxml.jackson.databind.JsonNode value =
            dev.kiln.model.json.KilnJson.mapper().readTree(payload).get(name);
        return value == null || value.isNull() ? null : value.asText();
      } catch (java.io.IOException e) {
        throw new IllegalStateException("payload of event #" + id + " is not JSON: " + payload, e);
      }
    }

    /** A job.started of a run that skipped the stages an earlier run completed. */
    boolean resumed() {
      return type.equals("job.started") && field("resumedAfter") != null;
    }
  }

  record DeadLetterRow(int attempt, String reason, long deathCount) {}

  /** A running job and the source of its newest stored event. */
  record Running(UUID id, String currentStage, String source, UUID run) {}

  interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private final String url;

  Db(String url) {
    this.url = url;
  }

  <T> T withConnection(Query<T> query) {
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
    while (true) {
      try (Connection c = DriverManager.getConnection(url, PrivatePostgres.USER, "")) {
        return query.run(c);
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the private database did not answer: " + e, e);
        }
        Os.sleep(Duration.ofMillis(500));
      }
    }
  }

  private static java.sql.Array uuids(Connection c, Collection<UUID> ids) throws SQLException {
    return c.createArrayOf("uuid", ids.toArray());
  }

  Map<UUID, JobRow> jobs(Collection<UUID> ids) {
    return withConnection(
        c -> {
          Map<UUID, JobRow> rows = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select id, status, attempt, error_code, current_stage from jobs where id = any(?)")) {
            ps.setArray(1, uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                rows.put(
                    id,
                    new JobRow(
                        id, rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5)));
              }
            }
          }
          return rows;
        });
  }

  /** Every stored event of the jobs, each job's in id (= SSE and commit) order. */
  Map<UUID, List<EventRow>> events(Collection<UUID> ids) {
    return withConnection(
        c -> {
          Map<UUID, List<EventRow>> events = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select job_id, id, attempt, seq, type, run, source, payload::text, stored_at"
                      + " from job_events where job_id = any(?) order by job_id, id")) {
            ps.setArray(1, uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                events
                    .computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                    .add(
                        new EventRow(
                            rs.getLong(2),
                            rs.getInt(3),
                            rs.getLong(4),
                            rs.getString(5),
                            rs.getObject(6, UUID.class),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getTimestamp(9).toInstant()));
              }
            }
          }
          return events;
        });
  }

  /** The id of the newest stored event of the jobs, or 0. */
  long newestEventId(Collection<UUID> ids) {
    return withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select coalesce(max(id), 0) from job_events where job_id = any(?)")) {
            ps.setArray(1, uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  Map<UUID, List<DeadLetterRow>> deadLetters(Collection<UUID> ids) {
    return withConnection(
        c -> {
          Map<UUID, List<DeadLetterRow>> rows = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select job_id, attempt, reason, death_count from dead_letters where job_id = any(?)")) {
            ps.setArray(1, uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                    .add(new DeadLetterRow(rs.getInt(2), rs.getString(3), rs.getLong(4)));
              }
            }
          }
          return rows;
        });
  }

  /** The jobs among {@code ids} that are running now, with the source of their newest event. */
  List<Running> running(Collection<UUID> ids) {
    return withConnection(
        c -> {
          List<Running> rows = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "select j.id, j.current_stage, e.source, e.run from jobs j join lateral"
                      + " (select source, run from job_events where job_id = j.id order by id desc"
                      + " limit 1) e on true where j.status = 'running' and j.id = any(?)")) {
            ps.setArray(1, uuids(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.add(
                    new Running(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4, UUID.class)));
              }
            }
          }
          return rows;
        });
  }
}
