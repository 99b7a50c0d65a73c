package dev.kiln.gateway.webhooks;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The {@code webhook_deliveries} table: claiming due deliveries, recording attempts, listing. */
@ApplicationScoped
public class WebhookDeliveries {

  /** Where a delivery stands. */
  public enum Status {
    /** Not attempted yet. */
    PENDING,
    /** Answered 2xx. */
    DELIVERED,
    /** The last attempt failed; the next is scheduled. */
    FAILED,
    /** No more attempts: the window passed, the receiver answered 410, or the URL is refused. */
    GIVEN_UP;

    @JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A delivery claimed for one attempt.
   *
   * @param attempts attempts made before this one
   * @param firstAttemptAt null before the first attempt
   */
  public record Claimed(
      UUID id,
      UUID jobId,
      String eventType,
      String url,
      String body,
      int attempts,
      Instant firstAttemptAt) {}

  /**
   * One attempt as recorded and shown.
   *
   * @param statusCode the receiver's HTTP status, or null when none was received
   * @param error why the attempt failed without a status, or null
   */
  public record Attempt(Instant at, Integer statusCode, String error, long durationMs) {}

  /** A delivery as {@code GET /api/v1/jobs/{id}/webhooks} shows it. */
  public record Row(
      UUID id,
      String url,
      String eventType,
      Status status,
      Instant createdAt,
      List<Attempt> attempts,
      Instant nextAttemptAt) {}

  // why: SKIP LOCKED lets every replica claim at once without waiting on or doubling another's
  // rows; moving next_attempt_at forward is the claim, so the HTTP call runs outside any
  // transaction and a replica that dies mid-call only delays the delivery until the claim expires
  private static final String CLAIM =
      "update webhook_deliveries d set next_attempt_at = ?, updated_at = ? from (select id from"
          + " webhook_deliveries where next_attempt_at <= ? order by next_attempt_at limit ? for"
          + " update skip locked) due where d.id = due.id returning d.id, d.job_id, d.event_type,"
          + " d.url, d.body, jsonb_array_length(d.attempts), d.first_attempt_at";

  private static final String RECORD =
      "update webhook_deliveries set status = ?, attempts = attempts || ?::jsonb,"
          + " first_attempt_at = coalesce(first_attempt_at, ?), next_attempt_at = ?, updated_at = ?"
          + " where id = ?";

  private static final String LIST =
      "select id, url, event_type, status, created_at, attempts::text, next_attempt_at from"
          + " webhook_deliveries where job_id = ? order by created_at, id";

  @Inject AgroalDataSource db;
  @Inject ObjectMapper json;

  /**
   * Claims up to {@code limit} due deliveries until {@code leaseUntil}: no replica claims them
   * again before then unless the attempt is recorded.
   */
  @Transactional
  public List<Claimed> claim(int limit, Instant now, Instant leaseUntil) throws SQLException {
    List<Claimed> claimed = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setTimestamp(1, Timestamp.from(leaseUntil));
      ps.setTimestamp(2, Timestamp.from(now));
      ps.setTimestamp(3, Timestamp.from(now));
      ps.setInt(4, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp first = rs.getTimestamp(7);
          claimed.add(
              new Claimed(
                  rs.getObject(1, UUID.class),
                  rs.getObject(2, UUID.class),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getInt(6),
                  first == null ? null : first.toInstant()));
        }
      }
    }
    return claimed;
  }

  /**
   * Appends an attempt and sets what follows.
   *
   * @param next when the next attempt is due, or null when there will be none
   */
  @Transactional
  public void record(UUID id, Attempt attempt, Status status, Instant next) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(RECORD)) {
      ps.setString(1, status.wire());
      ps.setString(2, "[" + json.writeValueAsString(attempt) + "]");
      ps.setTimestamp(3, Timestamp.from(attempt.at()));
      ps.setTimestamp(4, next == null ? null : Timestamp.from(next));
      ps.setTimestamp(5, Timestamp.from(Instant.now()));
      ps.setObject(6, id);
      ps.executeUpdate();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every delivery of a job, oldest first. */
  @Transactional
  public List<Row> ofJob(UUID jobId) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(LIST)) {
      ps.setObject(1, jobId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp next = rs.getTimestamp(7);
          rows.add(
              new Row(
                  rs.getObject(1, UUID.class),
                  rs.getString(2),
                  rs.getString(3),
                  Status.valueOf(rs.getString(4).toUpperCase(java.util.Locale.ROOT)),
                  rs.getTimestamp(5).toInstant(),
                  json.readValue(rs.getString(6), new TypeReference<List<Attempt>>() {}),
                  next == null ? null : next.toInstant()));
        }
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored webhook attempts are unreadable", e);
    }
    return rows;
  }
}
