package dev.kiln.bench.baseline;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What PostgreSQL alone commits on this machine: a small single-row insert and its commit per
 * transaction, from a few connections at once, into a scratch table of the {@code kiln_bench}
 * database (made when missing, the table dropped afterwards). Default settings, so each commit
 * waits for its WAL flush as Kiln's do.
 */
final class PostgresBaseline {

  static final String DATABASE = "kiln_bench";

  /**
   * @param commitsPerSecond committed transactions per second after the warm-up
   * @param version the server's version() text
   */
  record Result(double commitsPerSecond, String version) {}

  private PostgresBaseline() {}

  static Connection connect(String host, int port, String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host + ":" + port + "/" + database + "?connectTimeout=5",
        "postgres",
        "");
  }

  static String version(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("select version()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  static Result run(String host, int port, int connections, double warmupSeconds, double seconds)
      throws Exception {
    String version;
    try (Connection admin = connect(host, port, "postgres");
        Statement s = admin.createStatement()) {
      version = version(admin);
      try (ResultSet rs =
          s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
        if (!rs.next()) {
          s.execute("create database " + DATABASE);
        }
      }
    }
    String table = "commits_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection setup = connect(host, port, DATABASE);
        Statement s = setup.createStatement()) {
      s.execute(
          "create table "
              + table
              + " (id bigserial primary key, body text not null,"
              + " at timestamptz not null default now())");
      try {
        return new Result(commit(host, port, table, connections, warmupSeconds, seconds), version);
      } finally {
        s.execute("drop table if exists " + table);
      }
    }
  }

  private static double commit(
      String host, int port, String table, int connections, double warmupSeconds, double seconds)
      throws Exception {
    AtomicLong commits = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long measureFrom = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
    try (ExecutorService pool = Executors.newFixedThreadPool(connections)) {
      for (int c = 0; c < connections; c++) {
        pool.execute(
            () -> {
              try (Connection db = connect(host, port, DATABASE);
                  PreparedStatement insert =
                      db.prepareStatement("insert into " + table + " (body) values (?)")) {
                db.setAutoCommit(false);
                for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                  insert.setString(1, "kiln bench commit");
                  insert.executeUpdate();
                  db.commit();
                  if (now >= measureFrom) {
                    commits.incrementAndGet();
                  }
                }
              } catch (Exception e) {
                failure.compareAndSet(null, e);
              }
            });
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    return commits.get() / seconds;
  }
}
