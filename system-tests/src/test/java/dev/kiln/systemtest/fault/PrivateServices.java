package dev.kiln.systemtest.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * PostgreSQL, RabbitMQ and S3Proxy for the fault suite alone, so it can stop and start them without
 * disturbing anything else that uses the shared services on 5432, 5672 and 9000. Everything lives
 * under /tmp/kiln-fault-*; a JVM shutdown hook stops the servers and removes the directories, and a
 * later run reaps what a killed JVM left behind.
 */
final class PrivateServices implements AutoCloseable {

  /** The pid of the test JVM that created a directory, so a later run can tell it is stale. */
  static final String OWNER_FILE = "kiln-owner.pid";

  private static final Set<PrivateServices> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> OPEN.forEach(PrivateServices::close), "kiln-fault-services-reaper"));
  }

  final PrivatePostgres db;
  final PrivateRabbit broker;
  final PrivateS3 store;

  private PrivateServices(PrivatePostgres db, PrivateRabbit broker, PrivateS3 store) {
    this.db = db;
    this.broker = broker;
    this.store = store;
  }

  static PrivateServices start() {
    reapStale();
    List<PrivateService> started = new ArrayList<>();
    try {
      PrivatePostgres db = PrivatePostgres.create();
      started.add(db);
      PrivateRabbit broker = PrivateRabbit.create();
      started.add(broker);
      PrivateS3 store = PrivateS3.create();
      started.add(store);
      PrivateServices services = new PrivateServices(db, broker, store);
      OPEN.add(services);
      return services;
    } catch (RuntimeException e) {
      started.forEach(PrivateService::close);
      throw e;
    }
  }

  List<PrivateService> all() {
    return List.of(db, broker, store);
  }

  String logTails(int lines) {
    StringBuilder out = new StringBuilder();
    for (PrivateService service : all()) {
      out.append("\n===== last ").append(lines).append(" log lines of private ");
      out.append(service.name()).append(" =====\n");
      service.logTail(lines).forEach(l -> out.append(l).append('\n'));
    }
    return out.toString();
  }

  @Override
  public void close() {
    if (!OPEN.remove(this)) {
      return;
    }
    for (PrivateService service : List.of(store, broker, db)) {
      try {
        service.close();
      } catch (RuntimeException e) {
        System.err.println("could not stop the private " + service.name() + ": " + e);
      }
    }
  }

  /**
   * Servers and directories of an earlier run whose JVM was killed before its shutdown hook ran
   * (for example by the surefire timeout): their owner pid is gone, so they are ours to remove.
   */
  private static void reapStale() {
    try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      for (Path dir :
          dirs.filter(d -> d.getFileName().toString().startsWith("kiln-fault-")).toList()) {
        long owner = Os.readPid(dir.resolve(OWNER_FILE));
        if (owner <= 0 || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        System.err.println("removing the private services a killed run left in " + dir);
        Os.killIfOurs(Os.readPid(dir.resolve("data/postmaster.pid")), dir.toString());
        Os.killIfOurs(Os.readPid(dir.resolve("server.pid")), dir.toString());
        Os.deleteTree(dir);
      }
    } catch (IOException e) {
      System.err.println("could not look for stale private services: " + e);
    }
  }
}
