package dev.kiln.systemtest.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An S3Proxy 2.6.0 of the suite's own (the jar {@code ./kiln services} fetches into the local Maven
 * repository), on a free port, storing objects in a directory under /tmp. A restart kills it and
 * starts it again on the same directory, so every object survives.
 */
final class PrivateS3 implements PrivateService {

  static final String VERSION = "2.6.0";
  static final String ACCESS_KEY = "kiln-fault";
  static final String SECRET_KEY = "kiln-fault-secret";

  private final Path dir;
  private final Path jar;
  private final int port;
  private Process process;

  private PrivateS3(Path dir, Path jar, int port) {
    this.dir = dir;
    this.jar = jar;
    this.port = port;
  }

  static Path jar() {
    return Path.of(
        System.getProperty("user.home"),
        ".m2/repository/org/gaul/s3proxy",
        VERSION,
        "s3proxy-" + VERSION + "-jar-with-dependencies.jar");
  }

  static PrivateS3 create() {
    Path jar = jar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Proxy is missing: "
              + jar
              + " does not exist. Run ./kiln services once (it fetches it), or ./mvnw -B -ntp"
              + " dependency:get -Dartifact=org.gaul:s3proxy:"
              + VERSION
              + ":jar:jar-with-dependencies");
    }
    PrivateS3 s3 = new PrivateS3(Os.tempDir("kiln-fault-s3-", null), jar, Os.freePort());
    try {
      Files.createDirectories(s3.dir.resolve("blobs"));
      Files.writeString(
          s3.dir.resolve("s3proxy.properties"),
          String.join(
              "\n",
              "s3proxy.endpoint=" + s3.endpoint(),
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + ACCESS_KEY,
              "s3proxy.credential=" + SECRET_KEY,
              "jclouds.provider=filesystem-nio2",
              "jclouds.identity=" + ACCESS_KEY,
              "jclouds.credential=" + SECRET_KEY,
              "jclouds.filesystem.basedir=" + s3.dir.resolve("blobs"),
              ""));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    s3.start();
    return s3;
  }

  @Override
  public String name() {
    return "S3Proxy";
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  Path dir() {
    return dir;
  }

  @Override
  public synchronized void start() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    try {
      process =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-jar",
                  jar.toString(),
                  "--properties",
                  dir.resolve("s3proxy.properties").toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
              .start();
      Files.writeString(dir.resolve("server.pid"), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start S3Proxy", e);
    }
    Os.awaitPort(port, Duration.ofSeconds(60), "S3Proxy", process);
  }

  /** Kills the process (SIGKILL): requests in flight are cut off. */
  @Override
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public List<String> logTail(int lines) {
    return Os.tail(dir.resolve("s3proxy.log"), lines);
  }

  @Override
  public synchronized void close() {
    stop();
    Os.deleteTree(dir);
  }
}
