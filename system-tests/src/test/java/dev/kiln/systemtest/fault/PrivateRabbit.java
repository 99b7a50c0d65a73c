package dev.kiln.systemtest.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A second RabbitMQ node of the suite's own, next to the shared one: its own node name, AMQP and
 * distribution ports, data and log directories under /tmp, and no plugins (so it does not claim the
 * management ports). It runs as the {@code rabbitmq} OS user, like the shared node, so the two
 * share the Erlang cookie that {@code rabbitmqctl} needs. A restart stops the node and starts it
 * again on the same data directory: durable queues and persistent messages survive.
 */
final class PrivateRabbit implements PrivateService {

  static final String HOME = "/usr/lib/rabbitmq/bin";
  static final String USER = "rabbitmq";
  static final String COOKIE_HOME = "/var/lib/rabbitmq";

  private final Path dir;
  private final String node;
  private final int port;
  private final int distPort;
  private Process process;

  private PrivateRabbit(Path dir, String node, int port, int distPort) {
    this.dir = dir;
    this.node = node;
    this.port = port;
    this.distPort = distPort;
  }

  static PrivateRabbit create() {
    if (!Files.isExecutable(Path.of(HOME, "rabbitmq-server"))) {
      throw new IllegalStateException(
          "RabbitMQ is missing at " + HOME + " (apt-get install rabbitmq-server)");
    }
    Path dir = Os.tempDir("kiln-fault-rmq-", null);
    try {
      Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
      Files.writeString(dir.resolve("rabbitmq.conf"), "# the suite's private node\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Os.run(Duration.ofSeconds(10), List.of("chown", "-R", USER + ":", dir.toString()), null);
    String node = "kiln-fault-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
    PrivateRabbit rabbit = new PrivateRabbit(dir, node, Os.freePort(), Os.freePort());
    rabbit.start();
    return rabbit;
  }

  @Override
  public String name() {
    return "RabbitMQ";
  }

  int port() {
    return port;
  }

  String node() {
    return node;
  }

  Path dir() {
    return dir;
  }

  @Override
  public synchronized void start() {
    ProcessBuilder builder =
        new ProcessBuilder(Os.as(USER, HOME + "/rabbitmq-server"))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()));
    Map<String, String> env = builder.environment();
    env.put("HOME", COOKIE_HOME);
    env.put("RABBITMQ_NODENAME", node);
    env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
    env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
    env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
    env.put("RABBITMQ_PID_FILE", dir.resolve("server.pid").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
    // why: the shared node's /etc/rabbitmq/rabbitmq.conf binds 5672; this node must not read it
    env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString());
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start RabbitMQ", e);
    }
    Os.awaitPort(port, Duration.ofSeconds(90), "RabbitMQ node " + node, process);
  }

  /** {@code rabbitmqctl stop}: the node shuts down cleanly and its Erlang VM exits. */
  @Override
  public synchronized void stop() {
    Os.run(Duration.ofSeconds(60), ctl("stop"), dir);
    awaitExit(Duration.ofSeconds(30));
  }

  private List<String> ctl(String... args) {
    List<String> command =
        new java.util.ArrayList<>(
            Os.as(USER, "env", "HOME=" + COOKIE_HOME, HOME + "/rabbitmqctl", "-n", node));
    command.addAll(List.of(args));
    return command;
  }

  private void awaitExit(Duration timeout) {
    if (process == null) {
      return;
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        Os.killIfOurs(Os.readPid(dir.resolve("server.pid")), dir.toString());
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The queues that hold messages, as {@code rabbitmqctl list_queues} shows them. */
  String nonEmptyQueues() {
    try {
      return Os.run(
              Duration.ofSeconds(60),
              ctl("-q", "list_queues", "name", "messages_ready", "messages_unacknowledged"),
              dir)
          .lines()
          .filter(l -> !l.matches(".*\\s0\\s+0\\s*$") && !l.startsWith("name"))
          .toList()
          .toString();
    } catch (RuntimeException e) {
      return "(rabbitmqctl list_queues failed: " + e.getMessage() + ")";
    }
  }

  /**
   * The client-side TCP ports of the connections whose consumer on {@code queue} is active (a
   * single-active-consumer queue has one), from {@code rabbitmqctl list_consumers} and {@code
   * list_channels}.
   */
  List<Integer> activeConsumerPorts(String queue) {
    java.util.Set<String> channels = new java.util.HashSet<>();
    for (String line :
        Os.run(
                Duration.ofSeconds(60),
                ctl("-q", "list_consumers", "queue_name", "channel_pid", "active"),
                dir)
            .lines()
            .toList()) {
      String[] f = line.split("\t");
      if (f.length >= 3 && f[0].equals(queue) && f[2].strip().equals("true")) {
        channels.add(f[1].strip());
      }
    }
    List<Integer> ports = new java.util.ArrayList<>();
    for (String line :
        Os.run(Duration.ofSeconds(60), ctl("-q", "list_channels", "pid", "name"), dir)
            .lines()
            .toList()) {
      String[] f = line.split("\t");
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("^[0-9.]+:(\\d+) ->").matcher(f.length > 1 ? f[1] : "");
      if (channels.contains(f[0].strip()) && m.find()) {
        ports.add(Integer.parseInt(m.group(1)));
      }
    }
    return ports;
  }

  @Override
  public List<String> logTail(int lines) {
    return Os.tail(dir.resolve("log").resolve(node + ".log"), lines);
  }

  @Override
  public synchronized void close() {
    try {
      if (process != null && process.isAlive()) {
        Os.run(Duration.ofSeconds(30), ctl("stop"), dir);
      }
    } catch (RuntimeException e) {
      System.err.println("rabbitmqctl stop failed: " + e.getMessage());
    }
    awaitExit(Duration.ofSeconds(15));
    Os.killIfOurs(Os.readPid(dir.resolve("server.pid")), dir.toString());
    Os.deleteTree(dir);
  }
}
