package dev.kiln.bench.baseline;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Kiln's busiest tables, vacuumed before each section when the database does not do it itself. why:
 * this machine's PostgreSQL runs with {@code autovacuum = off} (its CI configuration), and without
 * vacuum every finished job and every published outbox row leaves a dead row behind: the outbox
 * claim and the quota count walk them all, so each run would measure the leftovers of the ones
 * before it. Production PostgreSQL vacuums these tables itself (docs/operations.md).
 */
public final class KilnTables {

  private static final String TABLES = "jobs, outbox, job_events, rate_buckets, idempotency_keys";

  private KilnTables() {}

  /** Whether the server runs autovacuum, or null when it cannot be asked. */
  public static Boolean autovacuum(int port, String database) {
    try (Connection c = PostgresBaseline.connect(Baselines.HOST, port, database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show autovacuum")) {
      return rs.next() && "on".equals(rs.getString(1));
    } catch (SQLException e) {
      return null;
    }
  }

  /** {@code VACUUM (ANALYZE)} of Kiln's busiest tables; returns what it did, for the log. */
  public static String vacuum(int port, String database) {
    long t0 = System.nanoTime();
    try (Connection c = PostgresBaseline.connect(Baselines.HOST, port, database);
        Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("vacuum (analyze) " + TABLES);
      return String.format(
          java.util.Locale.ROOT, "vacuumed %s in %.1f s", TABLES, (System.nanoTime() - t0) / 1e9);
    } catch (SQLException e) {
      return "could not vacuum Kiln's tables: " + e.getMessage();
    }
  }
}
