package dev.kiln.systemtest.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * One gateway or worker as an OS process that can be killed, stopped and started again on the same
 * HTTP port. Each start is a new incarnation (a new pod, in Kubernetes terms); every incarnation
 * appends to the same log file.
 */
final class AppProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final String name;
  private final Path jar;
  private final Path log;
  private final int port;
  private final String label;
  private final IntFunction<Map<String, String>> env;
  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  private volatile Process process;
  private volatile int incarnation;
  private volatile Instant startedAt;

  /**
   * @param env the environment of an incarnation (numbered from 1)
   */
  AppProcess(
      String name, Path jar, Path logDir, String label, IntFunction<Map<String, String>> env) {
    this.name = name;
    this.jar = jar;
    this.log = logDir.resolve(label + "-" + name + ".log");
    this.port = Os.freePort();
    this.label = label;
    this.env = env;
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  int incarnation() {
    return incarnation;
  }

  boolean alive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  Process process() {
    return process;
  }

  /** Every KILN_WORKER_ID this node ran under (event sources name them). */
  Set<String> ids() {
    return ids;
  }

  /** Starts the next incarnation. */
  synchronized void start() {
    int next = incarnation + 1;
    Map<String, String> vars = new LinkedHashMap<>(env.apply(next));
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Dkiln.system-test=" + label,
                "-jar",
                jar.toString())
            .directory(log.getParent().toFile())
            .redirectErrorStream(true)
            // why: a new cluster starts a fresh log; later incarnations append to it
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (next == 1) {
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    // why: a developer's KILN_* exports must not leak into the processes under test
    builder.environment().keySet().removeIf(k -> k.startsWith("KILN_") || k.startsWith("QUARKUS_"));
    builder.environment().putAll(vars);
    builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
    if (vars.containsKey("KILN_WORKER_ID")) {
      ids.add(vars.get("KILN_WORKER_ID"));
    }
    try {
      Files.writeString(
          log,
          "\n===== " + Instant.now() + " starting " + name + " incarnation " + next + " =====\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name, e);
    }
    incarnation = next;
    startedAt = Instant.now();
  }

  Instant startedAt() {
    return startedAt;
  }

  /** SIGKILL: no chance to clean up. */
  void sigkill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  /** SIGTERM: the application's graceful shutdown runs. */
  void sigterm() {
    Process p = process;
    if (p != null) {
      p.destroy();
    }
  }

  boolean ready() {
    if (!alive()) {
      return false;
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(baseUri().resolve("/q/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until an incarnation numbered at least {@code minIncarnation} answers ready. */
  void awaitReady(int minIncarnation, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (incarnation >= minIncarnation && ready()) {
        return;
      }
      Os.sleep(Duration.ofMillis(200));
    }
    throw new IllegalStateException(
        name + " (incarnation " + incarnation + ") not ready within " + timeout + "; see " + log);
  }

  List<String> tail(int lines) {
    return Os.tail(log, lines);
  }

  Path log() {
    return log;
  }

  @Override
  public String toString() {
    return name + "#" + incarnation + " on port " + port;
  }
}
