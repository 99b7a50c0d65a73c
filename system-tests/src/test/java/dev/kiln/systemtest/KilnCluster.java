package dev.kiln.systemtest;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveBucketArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The packaged gateway and worker running as separate OS processes against the local PostgreSQL
 * (database {@code kiln_system}), RabbitMQ (virtual host {@code kiln-system}) and S3Proxy (bucket
 * {@code kiln-system}), which {@code ./kiln services} provides. Starting one resets all three, so
 * every test class begins from nothing; one cluster serves a whole test class.
 */
public final class KilnCluster implements AutoCloseable {

  public static final String DB_URL = "jdbc:postgresql://127.0.0.1:5432/kiln_system";
  public static final String DB_USER = "postgres";
  public static final int BROKER_PORT = 5672;
  public static final String VHOST = "kiln-system";
  public static final String BUCKET = "kiln-system";
  public static final String S3_ENDPOINT = "http://127.0.0.1:9000";
  public static final String S3_ACCESS_KEY = "kiln-local";
  public static final String S3_SECRET_KEY = "kiln-local-secret";
  public static final List<String> QUEUES =
      List.of("kiln.jobs.synthetic", "kiln.events.store", "kiln.jobs.unroutable");

  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  static final Duration STOP_GRACE = Duration.ofSeconds(20);
  static final int LOG_TAIL_LINES = 60;

  /**
   * Clusters not yet closed: their logs are printed when a test fails, their processes killed on
   * JVM exit.
   */
  private static final Set<KilnCluster> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> OPEN.forEach(c -> c.nodes().forEach(n -> n.process.destroyForcibly())),
                "kiln-system-test-reaper"));
  }

  private final String label;
  private final List<Node> gateways = new ArrayList<>();
  private final List<Node> workers = new ArrayList<>();
  private final MinioClient minio;

  private KilnCluster(String label) {
    this.label = label;
    this.minio =
        MinioClient.builder()
            .endpoint(S3_ENDPOINT)
            .credentials(S3_ACCESS_KEY, S3_SECRET_KEY)
            .region("us-east-1")
            .build();
  }

  public static Builder builder(String label) {
    return new Builder(label);
  }

  /** What to start. */
  public static final class Builder {
    private final String label;
    private int gateways = 1;
    private int workers = 1;
    private int workerConcurrency = 4;
    private final Map<Integer, Map<String, String>> gatewayEnv = new LinkedHashMap<>();
    private final Map<String, String> sharedEnv = new LinkedHashMap<>();

    private Builder(String label) {
      this.label = label;
    }

    public Builder gateways(int count) {
      this.gateways = count;
      return this;
    }

    public Builder workers(int count) {
      this.workers = count;
      return this;
    }

    /** {@code KILN_WORKER_CONCURRENCY} of every worker. */
    public Builder workerConcurrency(int concurrency) {
      this.workerConcurrency = concurrency;
      return this;
    }

    /** An extra environment variable for one gateway (index from 0). */
    public Builder gatewayEnv(int index, String name, String value) {
      gatewayEnv.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(name, value);
      return this;
    }

    /** An extra environment variable for every gateway and worker. */
    public Builder env(String name, String value) {
      sharedEnv.put(name, value);
      return this;
    }

    /** Resets the database, broker and bucket, then starts the processes and waits until ready. */
    public KilnCluster start() {
      KilnCluster cluster = new KilnCluster(label);
      OPEN.add(cluster);
      try {
        Path gatewayJar = quarkusRunJar("api-gateway");
        Path workerJar = quarkusRunJar("worker");
        cluster.resetState();
        cluster.launch(this, gatewayJar, workerJar);
        return cluster;
      } catch (Throwable e) {
        System.err.println(cluster.logTails());
        cluster.close();
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
    }
  }

  // ---- state reset ----------------------------------------------------------------------------

  private void resetState() throws Exception {
    try (java.sql.Connection db = DriverManager.getConnection(DB_URL, DB_USER, "");
        Statement st = db.createStatement()) {
      st.execute("drop schema if exists public cascade");
      st.execute("create schema public");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL database kiln_system on 127.0.0.1:5432 is not usable; run ./kiln services",
          e);
    }

    try (Connection broker = connectBroker("kiln-system-test-reset")) {
      for (String queue : QUEUES) {
        // why: a failed operation closes its channel, so each delete gets its own
        Channel channel = broker.createChannel();
        try {
          channel.queueDelete(queue);
        } catch (IOException | RuntimeException missing) {
          // nothing to delete
        } finally {
          if (channel.isOpen()) {
            channel.close();
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "RabbitMQ virtual host kiln-system on 127.0.0.1:5672 is not usable; run ./kiln services",
          e);
    }

    try {
      if (minio.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
        for (String key : objectKeys("")) {
          minio.removeObject(RemoveObjectArgs.builder().bucket(BUCKET).object(key).build());
        }
        minio.removeBucket(RemoveBucketArgs.builder().bucket(BUCKET).build());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "the object store at " + S3_ENDPOINT + " is not usable; run ./kiln services", e);
    }
  }

  /** A plain connection of the tests' own to the virtual host the cluster uses. */
  public static Connection connectBroker(String name) throws IOException {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(BROKER_PORT);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setVirtualHost(VHOST);
    factory.setAutomaticRecoveryEnabled(false);
    try {
      return factory.newConnection(name);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("RabbitMQ did not answer", e);
    }
  }

  // ---- processes ------------------------------------------------------------------------------

  private void launch(Builder spec, Path gatewayJar, Path workerJar) throws Exception {
    Path logs = moduleDir().resolve("target/processes");
    Files.createDirectories(logs);

    // why: the first gateway runs the Flyway migration alone, since replicas starting alongside it
    // would race it for the schema history table; workers need no schema and start meanwhile
    gateways.add(Node.start("gateway-1", gatewayJar, gatewayEnv(spec, 0), logs, label));
    for (int i = 0; i < spec.workers; i++) {
      workers.add(Node.start("worker-" + (i + 1), workerJar, workerEnv(spec, i), logs, label));
    }
    gateways.getFirst().awaitReady(READY_TIMEOUT);
    for (int i = 1; i < spec.gateways; i++) {
      gateways.add(Node.start("gateway-" + (i + 1), gatewayJar, gatewayEnv(spec, i), logs, label));
    }
    for (Node node : nodes()) {
      node.awaitReady(READY_TIMEOUT);
    }
  }

  private static Map<String, String> gatewayEnv(Builder spec, int index) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KILN_DB_URL", DB_URL);
    env.put("KILN_ADMIN_KEY", SystemSecrets.ADMIN_KEY);
    env.put("KILN_SECRET_KEY", SystemSecrets.SECRET_KEY);
    // why: these suites test job flow, not limits; a few of them submit in bursts
    env.put("KILN_QUOTA_SUBMITS_PER_SECOND", "1000");
    env.put("KILN_QUOTA_SUBMIT_BURST", "2000");
    env.put("KILN_BROKER_VIRTUAL_HOST", VHOST);
    env.put("KILN_S3_ENDPOINT", S3_ENDPOINT);
    env.put("KILN_S3_BUCKET", BUCKET);
    env.putAll(spec.sharedEnv);
    env.putAll(spec.gatewayEnv.getOrDefault(index, Map.of()));
    return env;
  }

  private static Map<String, String> workerEnv(Builder spec, int index) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KILN_WORKER_ID", "sys-worker-" + (index + 1));
    env.put("KILN_WORKER_CONCURRENCY", Integer.toString(spec.workerConcurrency));
    // why: the stats test must see heartbeats in seconds, not after the default 10 s
    env.put("KILN_WORKER_HEARTBEAT_INTERVAL", "1S");
    // why: nothing is running when a class ends; keep a stuck job from delaying the stop
    env.put("KILN_WORKER_SHUTDOWN_GRACE", "5S");
    env.put("KILN_BROKER_VIRTUAL_HOST", VHOST);
    env.put("KILN_S3_ENDPOINT", S3_ENDPOINT);
    env.put("KILN_S3_BUCKET", BUCKET);
    env.putAll(spec.sharedEnv);
    return env;
  }

  static Path moduleDir() {
    String dir = System.getProperty("kiln.systemtest.basedir");
    return Path.of(dir != null ? dir : System.getProperty("user.dir")).toAbsolutePath();
  }

  static Path quarkusRunJar(String module) {
    Path app = moduleDir().resolve("../" + module + "/target/quarkus-app").normalize();
    Path jar = app.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "The packaged "
              + module
              + " is missing: "
              + jar
              + " does not exist. The system tests run the packaged applications; build them"
              + " first, e.g. ./mvnw -B -ntp verify from the repository root (packages every module"
              + " in order), or ./mvnw -B -ntp package -DskipTests -pl api-gateway,worker -am.");
    }
    return jar;
  }

  public Node gateway(int index) {
    return gateways.get(index);
  }

  public List<Node> gateways() {
    return List.copyOf(gateways);
  }

  public List<Node> workers() {
    return List.copyOf(workers);
  }

  public List<Node> nodes() {
    List<Node> all = new ArrayList<>(gateways);
    all.addAll(workers);
    return all;
  }

  /** The public API of one gateway (index from 0). */
  public KilnApi api(int gatewayIndex) {
    return new KilnApi(gateways.get(gatewayIndex).baseUri());
  }

  // ---- object store -----------------------------------------------------------------------------

  /** Keys of the objects in the bucket under {@code prefix}; none when the bucket is missing. */
  public List<String> objectKeys(String prefix) throws Exception {
    if (!minio.bucketExists(BucketExistsArgs.builder().bucket(BUCKET).build())) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    for (Result<Item> item :
        minio.listObjects(
            ListObjectsArgs.builder().bucket(BUCKET).prefix(prefix).recursive(true).build())) {
      keys.add(item.get().objectName());
    }
    return keys;
  }

  // ---- logs and shutdown
  // --------------------------------------------------------------------------

  /** The last lines of every process log, for a failure report. */
  /** The whole log of every process this cluster started. */
  public Map<String, String> logs() throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    for (Node node : nodes()) {
      all.put(node.log.getFileName().toString(), java.nio.file.Files.readString(node.log));
    }
    return all;
  }

  public String logTails() {
    StringBuilder out = new StringBuilder();
    for (Node node : nodes()) {
      out.append("\n===== last ")
          .append(LOG_TAIL_LINES)
          .append(" lines of ")
          .append(node.log)
          .append(node.process.isAlive() ? "" : " (exited " + exitValue(node.process) + ")")
          .append(" =====\n");
      node.tail(LOG_TAIL_LINES).forEach(line -> out.append(line).append('\n'));
    }
    return out.toString();
  }

  static List<KilnCluster> open() {
    return List.copyOf(OPEN);
  }

  private static String exitValue(Process process) {
    try {
      return Integer.toString(process.exitValue());
    } catch (IllegalThreadStateException e) {
      return "?";
    }
  }

  /** SIGTERM to all (workers first, so no job is left running without a gateway), then SIGKILL. */
  @Override
  public void close() {
    try {
      List<Node> order = new ArrayList<>(workers);
      order.addAll(gateways);
      order.forEach(n -> n.process.destroy());
      for (Node node : order) {
        node.awaitExit(STOP_GRACE);
      }
    } finally {
      OPEN.remove(this);
    }
  }

  /** One gateway or worker process. */
  public static final class Node {
    private static final HttpClient HTTP =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private Node(String name, int port, Process process, Path log) {
      this.name = name;
      this.port = port;
      this.process = process;
      this.log = log;
    }

    static Node start(String name, Path jar, Map<String, String> env, Path logDir, String label)
        throws IOException {
      int port = freePort();
      String java =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      Path log = logDir.resolve(label + "-" + name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  java,
                  "-Xmx384m",
                  "-XX:+UseSerialGC",
                  // why: marks the process as ours in ps output and heap dumps
                  "-Dkiln.system-test=" + label,
                  "-jar",
                  jar.toString())
              .directory(logDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // why: settings of the shell that runs the build (a developer's KILN_* exports) must not
      // leak into the processes under test
      builder
          .environment()
          .keySet()
          .removeIf(k -> k.startsWith("KILN_") || k.startsWith("QUARKUS_"));
      builder.environment().putAll(env);
      builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
      // why: the processes under test serve the test only; nothing outside this machine needs them
      builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
      return new Node(name, port, builder.start(), log);
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        socket.setReuseAddress(true);
        return socket.getLocalPort();
      }
    }

    public String name() {
      return name;
    }

    public int port() {
      return port;
    }

    public URI baseUri() {
      return URI.create("http://127.0.0.1:" + port);
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    void awaitReady(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      String last = "no answer";
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              name + " exited with " + process.exitValue() + " before it was ready; see " + log);
        }
        try {
          HttpResponse<String> response =
              HTTP.send(
                  HttpRequest.newBuilder(baseUri().resolve("/q/health/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return;
          }
          last = response.statusCode() + " " + response.body();
        } catch (IOException e) {
          last = e.toString();
        }
        Thread.sleep(250);
      }
      throw new IllegalStateException(
          name + " not ready within " + timeout + " (last readiness answer: " + last + ")");
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(
            Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void awaitExit(Duration grace) {
      try {
        if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          System.err.println(name + " did not stop within " + grace + " of SIGTERM; killing it");
          process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    List<String> tail(int lines) {
      try {
        List<String> all =
            new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        return all.subList(Math.max(0, all.size() - lines), all.size());
      } catch (IOException e) {
        return List.of("(log unreadable: " + e + ")");
      }
    }

    @Override
    public String toString() {
      return name + " on port " + port;
    }
  }
}
