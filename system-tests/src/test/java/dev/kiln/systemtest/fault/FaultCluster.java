package dev.kiln.systemtest.fault;

import dev.kiln.systemtest.SystemSecrets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Gateways and workers as supervised OS processes against the suite's {@link PrivateServices}. Like
 * a Kubernetes Deployment, a supervisor starts a new incarnation of any process that exited (after
 * {@link #RESTART_DELAY}), whether it was killed, stopped or crashed, until the cluster closes.
 */
final class FaultCluster implements AutoCloseable {

  static final String BUCKET = "kiln-fault";
  static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  /** How long the supervisor waits before it restarts an exited process. */
  static final Duration RESTART_DELAY = Duration.ofSeconds(1);

  /** KILN_WORKER_SHUTDOWN_GRACE: how long a worker on SIGTERM lets running jobs finish. */
  static final Duration WORKER_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** KILN_WORKER_HEARTBEAT_INTERVAL. */
  static final Duration WORKER_HEARTBEAT = Duration.ofSeconds(1);

  /** KILN_WATCHDOG_HEARTBEAT_INTERVAL; with the default 6 stale intervals, 12 s of silence. */
  static final Duration WATCHDOG_INTERVAL = Duration.ofSeconds(2);

  static final int WORKER_CONCURRENCY = 4;

  /** One exit the supervisor saw. */
  record Exit(Instant at, String node, int incarnation, int status) {}

  private static final java.util.Set<FaultCluster> OPEN =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () ->
                    OPEN.forEach(
                        c -> {
                          c.closing = true;
                          c.nodes().forEach(AppProcess::sigkill);
                        }),
                "kiln-fault-cluster-reaper"));
  }

  private final PrivateServices services;
  private final List<AppProcess> gateways = new ArrayList<>();
  private final List<AppProcess> workers = new ArrayList<>();
  private final List<Exit> exits = new CopyOnWriteArrayList<>();
  private final Thread supervisor;
  private volatile boolean closing;

  private FaultCluster(PrivateServices services) {
    this.services = services;
    this.supervisor =
        Thread.ofPlatform().daemon().name("kiln-fault-supervisor").unstarted(this::supervise);
  }

  static FaultCluster start(String label, PrivateServices services, int gateways, int workers) {
    Path gatewayJar = app("api-gateway");
    Path workerJar = app("worker");
    Path logs = moduleDir().resolve("target/processes");
    reapOrphans(label);
    FaultCluster cluster = new FaultCluster(services);
    OPEN.add(cluster);
    try {
      Files.createDirectories(logs);
      for (int i = 1; i <= gateways; i++) {
        cluster.gateways.add(
            new AppProcess("gateway-" + i, gatewayJar, logs, label, n -> cluster.gatewayEnv()));
      }
      for (int i = 1; i <= workers; i++) {
        String id = "fault-worker-" + i;
        cluster.workers.add(
            new AppProcess(
                "worker-" + i,
                workerJar,
                logs,
                label,
                n -> cluster.workerEnv(n == 1 ? id : id + "-r" + (n - 1))));
      }
      // why: the first gateway runs the Flyway migration alone; replicas would race it for the
      // schema
      cluster.gateways.getFirst().start();
      cluster.workers.forEach(AppProcess::start);
      // why: as in a Deployment, a process that dies while starting (seen: the broker refusing a
      // connection with INTERNAL_ERROR on a loaded machine) is restarted, not fatal to the suite
      cluster.supervisor.start();
      cluster.gateways.getFirst().awaitReady(1, READY_TIMEOUT);
      cluster.gateways.stream().skip(1).forEach(AppProcess::start);
      for (AppProcess node : cluster.nodes()) {
        node.awaitReady(1, READY_TIMEOUT);
      }
      return cluster;
    } catch (Exception e) {
      System.err.println(cluster.logTails(80));
      cluster.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  private Map<String, String> common() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KILN_BROKER_HOST", "127.0.0.1");
    env.put("KILN_BROKER_PORT", Integer.toString(services.broker.port()));
    env.put("KILN_BROKER_USERNAME", "guest");
    env.put("KILN_BROKER_PASSWORD", "guest");
    env.put("KILN_BROKER_VIRTUAL_HOST", "/");
    env.put("KILN_S3_ENDPOINT", services.store.endpoint());
    env.put("KILN_S3_ACCESS_KEY", PrivateS3.ACCESS_KEY);
    env.put("KILN_S3_SECRET_KEY", PrivateS3.SECRET_KEY);
    env.put("KILN_S3_BUCKET", BUCKET);
    return env;
  }

  private Map<String, String> gatewayEnv() {
    Map<String, String> env = common();
    env.put("KILN_DB_URL", services.db.jdbcUrl());
    env.put("KILN_DB_USER", PrivatePostgres.USER);
    env.put("KILN_ADMIN_KEY", SystemSecrets.ADMIN_KEY);
    env.put("KILN_SECRET_KEY", SystemSecrets.SECRET_KEY);
    // why: 300 jobs in 12 s from one key is the load under test here, not the limits
    env.put("KILN_QUOTA_SUBMITS_PER_SECOND", "1000");
    env.put("KILN_QUOTA_SUBMIT_BURST", "2000");
    env.put("KILN_WATCHDOG_HEARTBEAT_INTERVAL", WATCHDOG_INTERVAL.toSeconds() + "S");
    // why: no gateway is stopped gracefully during a run; a short drain keeps the final close quick
    env.put("KILN_SHUTDOWN_DELAY", "1S");
    env.put("KILN_SHUTDOWN_TIMEOUT", "5S");
    return env;
  }

  private Map<String, String> workerEnv(String id) {
    Map<String, String> env = common();
    env.put("KILN_WORKER_ID", id);
    env.put("KILN_WORKER_CONCURRENCY", Integer.toString(WORKER_CONCURRENCY));
    env.put("KILN_WORKER_HEARTBEAT_INTERVAL", WORKER_HEARTBEAT.toSeconds() + "S");
    env.put("KILN_WORKER_SHUTDOWN_GRACE", WORKER_SHUTDOWN_GRACE.toSeconds() + "S");
    env.put("KILN_WORKER_FAULT_INJECTION", "true");
    return env;
  }

  private void supervise() {
    Map<AppProcess, Long> deadSince = new LinkedHashMap<>();
    while (!closing) {
      for (AppProcess node : nodes()) {
        if (node.alive() || node.process() == null) {
          deadSince.remove(node);
          continue;
        }
        long now = System.nanoTime();
        Long since = deadSince.get(node);
        if (since == null) {
          deadSince.put(node, now);
          int status = node.process().exitValue();
          exits.add(new Exit(Instant.now(), node.name(), node.incarnation(), status));
          System.err.printf(
              "supervisor: %s incarnation %d exited with %d; restarting it%n",
              node.name(), node.incarnation(), status);
        } else if (now - since >= RESTART_DELAY.toNanos() && !closing) {
          node.start();
          deadSince.remove(node);
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  List<Exit> exits() {
    return List.copyOf(exits);
  }

  List<AppProcess> gateways() {
    return List.copyOf(gateways);
  }

  List<AppProcess> workers() {
    return List.copyOf(workers);
  }

  List<AppProcess> nodes() {
    List<AppProcess> all = new ArrayList<>(gateways);
    all.addAll(workers);
    return all;
  }

  List<URI> gatewayUris() {
    return gateways.stream().map(AppProcess::baseUri).toList();
  }

  /** The worker that ran (or runs) under {@code workerId}, as events name their source. */
  Optional<AppProcess> workerById(String workerId) {
    return workers.stream().filter(w -> w.ids().contains(workerId)).findFirst();
  }

  /** Waits until every process is running and ready. */
  void awaitAllReady(Duration timeout) {
    for (AppProcess node : nodes()) {
      node.awaitReady(1, timeout);
    }
  }

  String logTails(int lines) {
    StringBuilder out = new StringBuilder();
    for (AppProcess node : nodes()) {
      out.append("\n===== last ").append(lines).append(" lines of ").append(node.log());
      out.append(node.alive() ? "" : " (not running)").append(" =====\n");
      node.tail(lines).forEach(line -> out.append(line).append('\n'));
    }
    return out.toString();
  }

  /** SIGTERM to all (workers first), then SIGKILL what is left after 20 s. */
  @Override
  public void close() {
    closing = true;
    OPEN.remove(this);
    supervisor.interrupt();
    List<AppProcess> order = new ArrayList<>(workers);
    order.addAll(gateways);
    order.forEach(AppProcess::sigterm);
    for (AppProcess node : order) {
      Process p = node.process();
      try {
        if (p != null && !p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Gateways and workers an earlier run of this suite left behind when its JVM was killed (its
   * shutdown hook never ran): they carry the suite's marker and their parent is gone (they were
   * handed to init). A live suite's processes still have their JVM as parent and are left alone.
   */
  private static void reapOrphans(String label) {
    String marker = "-Dkiln.system-test=" + label;
    ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
        .filter(p -> p.parent().map(parent -> parent.pid() == 1 || !parent.isAlive()).orElse(true))
        .forEach(
            p -> {
              System.err.println("killing process " + p.pid() + " left behind by a killed run");
              p.destroyForcibly();
            });
  }

  static Path moduleDir() {
    String dir = System.getProperty("kiln.systemtest.basedir");
    return Path.of(dir != null ? dir : System.getProperty("user.dir")).toAbsolutePath();
  }

  private static Path app(String module) {
    Path jar =
        moduleDir().resolve("../" + module + "/target/quarkus-app/quarkus-run.jar").normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "The packaged "
              + module
              + " is missing ("
              + jar
              + "); build it first: ./mvnw -B -ntp package -DskipTests -pl api-gateway,worker -am");
    }
    return jar;
  }
}
