package dev.kiln.systemtest.fault;

import dev.kiln.model.json.KilnJson;
import dev.kiln.systemtest.ProcessLogsOnFailure;
import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 3's fault-injection suite: 2 gateways and 3 workers as OS processes against a private
 * PostgreSQL, RabbitMQ node and S3Proxy; for each fault, a seeded random load of synthetic jobs
 * (successes, failures, retries, exhausted retries, cancellations) submitted while the fault is
 * injected, then the invariants checked for every job. Each fault is its own test, so one broken
 * fault fails its test and the others still run; the table of all runs goes to docs/reliability.md.
 *
 * <p>Properties: {@code kiln.fault.seed}, {@code kiln.fault.jobs} (300), {@code
 * kiln.fault.windowSeconds} (12), {@code kiln.fault.deadlineSeconds} (180), {@code
 * kiln.fault.watchers} (25), {@code kiln.fault.brokerOutageSeconds} (20), {@code
 * kiln.fault.dbOutageSeconds} (20), {@code kiln.fault.storeOutageSeconds} (15), {@code
 * kiln.fault.writeDocs} (true: only a complete run of all eight writes the docs table).
 */
@ExtendWith(ProcessLogsOnFailure.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionSystemTest {

  static final int RUNS = 8;

  /** Short jobs run before the baseline, so it is not measured on cold JVMs. */
  static final int WARM_UP_JOBS = 120;

  private static long seed;
  private static FaultRun.Settings settings;
  private static PrivateServices services;
  private static FaultCluster cluster;
  private static GoodClient client;
  private static Db db;
  private static MinioClient minio;
  private static Supplier<String> logs;
  private static final List<RunReport> reports = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() {
    seed = Long.getLong("kiln.fault.seed", new Random().nextLong());
    settings =
        new FaultRun.Settings(
            Integer.getInteger("kiln.fault.jobs", 300),
            Duration.ofSeconds(Long.getLong("kiln.fault.windowSeconds", 12)),
            Duration.ofSeconds(Long.getLong("kiln.fault.deadlineSeconds", 180)),
            Integer.getInteger("kiln.fault.watchers", 25));
    System.out.println(
        "fault suite: seed " + seed + " (-Dkiln.fault.seed=" + seed + "), " + settings);
    services = PrivateServices.start();
    logs =
        () ->
            cluster == null ? services.logTails(30) : cluster.logTails(60) + services.logTails(30);
    ProcessLogsOnFailure.register(logs);
    cluster = FaultCluster.start(FaultInjectionSystemTest.class.getSimpleName(), services, 2, 3);
    client = new GoodClient(cluster.gatewayUris());
    db = new Db(services.db.jdbcUrl());
    minio =
        MinioClient.builder()
            .endpoint(services.store.endpoint())
            .credentials(PrivateS3.ACCESS_KEY, PrivateS3.SECRET_KEY)
            .region("us-east-1")
            .build();
    long warm = System.nanoTime();
    warmUp(client, db, WARM_UP_JOBS);
    System.out.printf(
        "fault suite: warmed up with %d jobs in %.1f s%n",
        WARM_UP_JOBS, (System.nanoTime() - warm) / 1e9);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (!reports.isEmpty()) {
        String table = ReliabilityTable.render(reports, seed, settings);
        System.out.println("\n" + table);
        reports.forEach(r -> System.out.println(r.details()));
        Path module = FaultCluster.moduleDir();
        ReliabilityTable.writeReport(
            module.resolve("target/reliability-report.md"), table, reports);
        if (reports.size() == RUNS
            && Boolean.parseBoolean(System.getProperty("kiln.fault.writeDocs", "true"))) {
          ReliabilityTable.writeDocs(module.resolve("../docs/reliability.md").normalize(), table);
        }
      }
    } finally {
      ProcessLogsOnFailure.unregister(logs);
      if (cluster != null) {
        cluster.close();
      }
      if (services != null) {
        services.close();
      }
    }
  }

  @Test
  @Order(1)
  void baseline() {
    run(1, Faults.none());
  }

  @Test
  @Order(2)
  void workerSigkill() {
    run(2, Faults.worker(true));
  }

  @Test
  @Order(3)
  void gatewaySigkill() {
    run(3, Faults.gatewayKill());
  }

  @Test
  @Order(4)
  void brokerRestart() {
    run(
        4,
        Faults.restart(
            "broker restart",
            "The RabbitMQ node is stopped (`rabbitmqctl stop`)",
            outage("brokerOutageSeconds", 20),
            s -> s.broker));
  }

  @Test
  @Order(5)
  void databaseRestart() {
    run(
        5,
        Faults.restart(
            "database restart",
            "PostgreSQL is stopped (`pg_ctl stop -m fast`)",
            outage("dbOutageSeconds", 20),
            s -> s.db));
  }

  @Test
  @Order(6)
  void objectStoreRestart() {
    run(
        6,
        Faults.restart(
            "object store restart",
            "S3Proxy is killed",
            outage("storeOutageSeconds", 15),
            s -> s.store));
  }

  @Test
  @Order(7)
  void workerSigterm() {
    run(7, Faults.worker(false));
  }

  @Test
  @Order(8)
  void poisonMessage() {
    run(8, Faults.poison());
  }

  /**
   * Warms the JVMs up with {@code count} short jobs, so the baseline is not measured on cold code;
   * nothing is checked or reported.
   */
  private static void warmUp(GoodClient client, Db db, int count) {
    Random random = new Random(count);
    List<UUID> ids = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        String body =
            "{\"type\":\"synthetic\",\"params\":{\"stages\":"
                + (1 + i % 2)
                + ",\"stageMillis\":50,\"artifactBytes\":1024}}";
        String key = "warm-up-" + new UUID(random.nextLong(), random.nextLong());
        int n = i;
        pool.submit(
            () -> {
              Os.sleep(Duration.ofMillis(n * 40L));
              GoodClient.Answer a =
                  client.post("/api/v1/jobs", body, key, n, Duration.ofSeconds(60));
              ids.add(UUID.fromString(KilnJson.mapper().readTree(a.body()).path("id").asText()));
              return null;
            });
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline
        && !db.jobs(ids).values().stream().allMatch(Db.JobRow::terminal)) {
      Os.sleep(Duration.ofSeconds(1));
    }
  }

  private static Duration outage(String property, long seconds) {
    return Duration.ofSeconds(Long.getLong("kiln.fault." + property, seconds));
  }

  private static void run(int number, Fault fault) {
    cluster.awaitAllReady(Duration.ofSeconds(120));
    // why: each fault gets its own stream of the seed, so running one fault alone reproduces it
    Random random = new Random(seed * 1_000_003L + number);
    System.out.println("fault suite: run " + number + " of " + RUNS + ": " + fault.name());
    RunReport report =
        new FaultRun(
                fault,
                settings,
                cluster,
                services,
                client,
                db,
                FaultInjectionSystemTest::keys,
                random)
            .execute();
    reports.add(report);
    System.out.println(report.details());
    if (!report.ok()) {
      throw new AssertionError(
          fault.name()
              + " broke invariants (seed "
              + seed
              + ", rerun with -Dkiln.fault.seed="
              + seed
              + "):\n"
              + report.details());
    }
  }

  private static List<String> keys(String prefix) {
    try {
      if (!minio.bucketExists(BucketExistsArgs.builder().bucket(FaultCluster.BUCKET).build())) {
        return List.of();
      }
      List<String> keys = new ArrayList<>();
      for (Result<Item> item :
          minio.listObjects(
              ListObjectsArgs.builder()
                  .bucket(FaultCluster.BUCKET)
                  .prefix(prefix)
                  .recursive(true)
                  .build())) {
        keys.add(item.get().objectName());
      }
      return keys;
    } catch (Exception e) {
      throw new IllegalStateException("cannot list " + prefix + " in the private bucket", e);
    }
  }
}
