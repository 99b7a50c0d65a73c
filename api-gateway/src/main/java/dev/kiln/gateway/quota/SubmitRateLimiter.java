package dev.kiln.gateway.quota;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A token bucket per API key for submissions, kept in PostgreSQL so every gateway replica draws
 * from the same bucket. One statement reads the key's tenant's limits, refills the bucket by the
 * time passed and takes a token only when a whole one is there; it runs outside any transaction, so
 * a refused submission holds no lock and leaves no trace.
 */
@ApplicationScoped
public class SubmitRateLimiter {

  private static final String LIMITS =
      "with lim as (select coalesce(t.submits_per_second, ?) as rate,"
          + " coalesce(t.submit_burst, ?) as burst"
          + " from api_keys k join tenants t on t.id = k.tenant_id where k.id = ?) ";

  // why: the row lock the upsert takes makes concurrent requests of one key queue behind each
  // other for one statement, so two replicas can never spend the same token
  private static final String TAKE =
      LIMITS
          + "insert into rate_buckets as b (key_id, tokens, refilled_at)"
          + " select ?, lim.burst - 1, now() from lim"
          + " on conflict (key_id) do update set"
          + " tokens = least((select burst from lim), b.tokens"
          + " + extract(epoch from now() - b.refilled_at) * (select rate from lim)) - 1,"
          + " refilled_at = now()"
          + " where least((select burst from lim), b.tokens"
          + " + extract(epoch from now() - b.refilled_at) * (select rate from lim)) >= 1"
          + " returning tokens, (select rate from lim), (select burst from lim)";

  private static final String LEVEL =
      LIMITS
          + "select least(lim.burst, coalesce(b.tokens"
          + " + extract(epoch from now() - b.refilled_at) * lim.rate, lim.burst)),"
          + " lim.rate, lim.burst from lim left join rate_buckets b on b.key_id = ?";

  @Inject AgroalDataSource dataSource;
  @Inject QuotaConfig config;

  /**
   * @param allowed a token was taken
   * @param limit the bucket's size
   * @param remaining whole tokens left
   * @param resetSeconds seconds until the bucket is full again
   * @param retryAfterSeconds when refused, seconds until a token is there
   */
  public record Decision(
      boolean allowed, int limit, int remaining, long resetSeconds, long retryAfterSeconds) {}

  public Decision take(UUID keyId) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps = c.prepareStatement(TAKE)) {
        limits(ps, keyId);
        ps.setObject(4, keyId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            double left = rs.getDouble(1);
            double rate = rs.getDouble(2);
            int burst = rs.getInt(3);
            return new Decision(
                true, burst, (int) Math.floor(left), seconds((burst - left) / rate), 0);
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(LEVEL)) {
        limits(ps, keyId);
        ps.setObject(4, keyId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            // the key was deleted between authentication and now
            return new Decision(false, 0, 0, 0, 1);
          }
          double level = rs.getDouble(1);
          double rate = rs.getDouble(2);
          int burst = rs.getInt(3);
          return new Decision(
              false,
              burst,
              0,
              seconds((burst - level) / rate),
              Math.max(1, seconds((1 - level) / rate)));
        }
      }
    }
  }

  private void limits(PreparedStatement ps, UUID keyId) throws SQLException {
    ps.setDouble(1, config.submitsPerSecond());
    ps.setInt(2, config.submitBurst());
    ps.setObject(3, keyId);
  }

  private static long seconds(double value) {
    return (long) Math.ceil(Math.max(0, value));
  }
}
