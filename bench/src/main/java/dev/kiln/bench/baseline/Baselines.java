package dev.kiln.bench.baseline;

import dev.kiln.bench.BenchArgs;
import dev.kiln.bench.BenchTarget;
import dev.kiln.bench.Measurement;
import dev.kiln.bench.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The broker's and the database's own rates on this machine, measured in the same run, so Kiln's
 * end-to-end rate can be read as a fraction of what its parts allow.
 *
 * <p>Options: {@code --baseline-seconds} (10, at most --duration, after a 2 s warm-up), {@code
 * --pg-connections} (4), {@code --rabbit-port} (5672), {@code --pg-port} (5432).
 */
public final class Baselines {

  public static final String BROKER_RATE = "baseline: RabbitMQ, persistent + confirms + acks";
  public static final String PG_RATE = "baseline: PostgreSQL single-row insert commits";
  static final String HOST = "127.0.0.1";
  private static final double WARMUP_SECONDS = 2;

  private Baselines() {}

  public static List<Measurement> run(BenchTarget target, String[] argv) throws Exception {
    BenchArgs args = new BenchArgs(argv);
    double seconds = args.number("--baseline-seconds", Math.min(10, args.duration()));
    int connections = args.integer("--pg-connections", 4);
    List<Measurement> rows = new ArrayList<>();
    Progress.say("baselines: RabbitMQ for %.0f s", WARMUP_SECONDS + seconds);
    try {
      BrokerBaseline.Result broker =
          BrokerBaseline.run(HOST, args.integer("--rabbit-port", 5672), WARMUP_SECONDS, seconds);
      rows.add(
          Measurement.info(
              BROKER_RATE,
              broker.consumedPerSecond(),
              "msgs/s",
              String.format(
                  Locale.ROOT,
                  "%s; 512-byte persistent messages on a scratch quorum queue, confirms every 100,"
                      + " prefetch 100, one ack each; %.0f s after %.0f s warm-up; published"
                      + " %,.0f/s",
                  broker.product(),
                  seconds,
                  WARMUP_SECONDS,
                  broker.publishedPerSecond())));
    } catch (Exception e) {
      rows.add(failed(BROKER_RATE, "msgs/s", e));
    }
    Progress.say("baselines: PostgreSQL for %.0f s", WARMUP_SECONDS + seconds);
    try {
      PostgresBaseline.Result pg =
          PostgresBaseline.run(
              HOST, args.integer("--pg-port", 5432), connections, WARMUP_SECONDS, seconds);
      rows.add(
          Measurement.info(
              PG_RATE,
              pg.commitsPerSecond(),
              "commits/s",
              String.format(
                  Locale.ROOT,
                  "one insert + commit per transaction from %d connections into a scratch table"
                      + " of %s; %.0f s after %.0f s warm-up",
                  connections,
                  PostgresBaseline.DATABASE,
                  seconds,
                  WARMUP_SECONDS)));
    } catch (Exception e) {
      rows.add(failed(PG_RATE, "commits/s", e));
    }
    return rows;
  }

  /** The database server's version() text, or why it could not be read. */
  public static String postgresVersion(int port) {
    try (var connection = PostgresBaseline.connect(HOST, port, "postgres")) {
      String version = PostgresBaseline.version(connection);
      // why: the build details after " on " (platform, compiler) say nothing about speed
      int on = version.indexOf(" on ");
      return on > 0 ? version.substring(0, on) : version;
    } catch (Exception e) {
      return "unavailable (" + e.getMessage() + ")";
    }
  }

  /** The broker's product and version from its AMQP server properties, or why not. */
  public static String rabbitVersion(int port) {
    try (var connection = BrokerBaseline.factory(HOST, port).newConnection("kiln-bench-probe")) {
      return BrokerBaseline.product(connection);
    } catch (Exception e) {
      return "unavailable (" + e.getMessage() + ")";
    }
  }

  private static Measurement failed(String name, String unit, Exception e) {
    return Measurement.info(name, Double.NaN, unit, "FAILED: " + e);
  }
}
