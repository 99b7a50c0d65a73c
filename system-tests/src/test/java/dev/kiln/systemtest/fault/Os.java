package dev.kiln.systemtest.fault;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Ports, commands, files and process ids: the small OS chores of the private services. */
final class Os {

  private Os() {}

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  static boolean portOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until something accepts connections on the port; {@code alive} false stops early. */
  static void awaitPort(int port, Duration timeout, String what, Process process) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (portOpen(port)) {
        return;
      }
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException(
            what + " exited with " + process.exitValue() + " before it listened on " + port);
      }
      sleep(Duration.ofMillis(200));
    }
    throw new IllegalStateException(what + " did not listen on port " + port + " in " + timeout);
  }

  /** Runs a command to its end; returns its output, failing on a non-zero status. */
  static String run(Duration timeout, List<String> command, Path dir) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (dir != null) {
        builder.directory(dir.toFile());
      }
      Process process = builder.start();
      byte[] out;
      try (var in = process.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("timed out after " + timeout + ": " + command);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + process.exitValue() + " from " + command + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A command run as another OS user (PostgreSQL and RabbitMQ refuse to run as root). */
  static List<String> as(String user, String... command) {
    List<String> all = new ArrayList<>(List.of("runuser", "-u", user, "--"));
    all.addAll(List.of(command));
    return all;
  }

  static Path tempDir(String prefix, String owner) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Files.writeString(dir.resolve(PrivateServices.OWNER_FILE), Long.toString(ownPid()));
      if (owner != null) {
        run(Duration.ofSeconds(10), List.of("chown", "-R", owner + ":", dir.toString()), null);
      }
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temp dir", e);
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }

  static long ownPid() {
    return ProcessHandle.current().pid();
  }

  /** The first line of a pid file as a pid, or -1. */
  static long readPid(Path file) {
    try {
      return Long.parseLong(Files.readAllLines(file).getFirst().strip());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * SIGKILLs {@code pid} if it is alive and its command line mentions {@code marker} (a path of
   * ours), so a pid reused by an unrelated process is never touched.
   */
  static void killIfOurs(long pid, String marker) {
    if (pid <= 0) {
      return;
    }
    try {
      String cmdline =
          Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8)
              .replace('\0', ' ');
      if (cmdline.contains(marker)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (IOException e) {
      // not running
    }
  }

  /** The pid of the process that owns the local end of an established TCP connection, or -1. */
  static long pidOfLocalPort(int port) {
    String out =
        run(
            Duration.ofSeconds(10),
            List.of("ss", "-Htnp", "state", "established", "( sport = :" + port + " )"),
            null);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(out);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static List<String> tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(" + file + " unreadable: " + e + ")");
    }
  }
}
