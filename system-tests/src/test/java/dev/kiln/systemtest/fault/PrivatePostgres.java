package dev.kiln.systemtest.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * A PostgreSQL 15 cluster of the suite's own: a data directory under /tmp, trust authentication,
 * listening on 127.0.0.1 on a free port, run as the {@code postgres} OS user (PostgreSQL refuses
 * root). The shared instance on 5432 is never touched.
 */
final class PrivatePostgres implements PrivateService {

  /** PostgreSQL 15's binaries, or the newest installed version's when 15 is not there. */
  static final String BIN = binaries();

  static final String USER = "postgres";
  static final String DATABASE = "kiln";

  private final Path dir;
  private final Path data;
  private final Path log;
  private final int port;

  private PrivatePostgres(Path dir, int port) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.log = dir.resolve("postgres.log");
    this.port = port;
  }

  private static String binaries() {
    Path preferred = Path.of("/usr/lib/postgresql/15/bin");
    if (Files.isExecutable(preferred.resolve("pg_ctl"))) {
      return preferred.toString();
    }
    try (java.util.stream.Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")))
          .max(
              java.util.Comparator.comparingInt(
                  bin ->
                      Integer.parseInt(
                          bin.getParent().getFileName().toString().replaceAll("\\D", "0"))))
          .map(Path::toString)
          .orElse(preferred.toString());
    } catch (java.io.IOException e) {
      return preferred.toString();
    }
  }

  static PrivatePostgres create() {
    if (!Files.isExecutable(Path.of(BIN, "pg_ctl"))) {
      throw new IllegalStateException(
          "PostgreSQL binaries are missing at "
              + BIN
              + " (./kiln services installs PostgreSQL with apt-get)");
    }
    PrivatePostgres pg = new PrivatePostgres(Os.tempDir("kiln-fault-pg-", USER), Os.freePort());
    Os.run(
        Duration.ofSeconds(60),
        Os.as(
            USER,
            BIN + "/initdb",
            "-D",
            pg.data.toString(),
            "-A",
            "trust",
            "-U",
            USER,
            "--no-instructions"),
        pg.dir);
    pg.start();
    try (var c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + pg.port + "/postgres", USER, "");
        Statement st = c.createStatement()) {
      st.execute("create database " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the database", e);
    }
    return pg;
  }

  @Override
  public String name() {
    return "PostgreSQL";
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  @Override
  public void start() {
    Os.run(
        Duration.ofSeconds(90),
        Os.as(
            USER,
            BIN + "/pg_ctl",
            "-D",
            data.toString(),
            "-l",
            log.toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p "
                + port
                + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                + dir
                + " -c max_connections=200",
            "start"),
        dir);
  }

  /** {@code pg_ctl stop -m fast}: sessions are disconnected, the server stops cleanly. */
  @Override
  public void stop() {
    Os.run(
        Duration.ofSeconds(60),
        Os.as(USER, BIN + "/pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop"),
        dir);
  }

  @Override
  public List<String> logTail(int lines) {
    return Os.tail(log, lines);
  }

  @Override
  public void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        Os.run(
            Duration.ofSeconds(30),
            Os.as(USER, BIN + "/pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"),
            dir);
      }
    } catch (RuntimeException e) {
      Os.killIfOurs(Os.readPid(data.resolve("postmaster.pid")), data.toString());
    }
    Os.deleteTree(dir);
  }
}
