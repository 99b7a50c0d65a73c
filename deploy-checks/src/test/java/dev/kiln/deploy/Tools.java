package dev.kiln.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command-line tools the checks rely on. A missing tool fails the check with what to
 * install, never skips it: a check that silently does not run would let broken manifests through.
 */
public final class Tools {

  /** What one run printed and how it ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private static final long TIMEOUT_SECONDS = 60;

  private Tools() {}

  /**
   * The executable on PATH, or an AssertionError naming the package that provides it.
   *
   * @param hint how to install it, shown in the failure
   */
  public static Path require(String tool, String hint) {
    return find(tool)
        .orElseThrow(
            () ->
                new AssertionError(
                    tool
                        + " is not on PATH, so this check cannot run. "
                        + hint
                        + " (./kiln test installs it; PATH="
                        + System.getenv("PATH")
                        + ")"));
  }

  public static Optional<Path> find(String tool) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Runs a command in the repository root and waits for it (at most a minute). */
  public static Result run(List<String> command) {
    List<String> cmd = new ArrayList<>(command);
    ProcessBuilder builder = new ProcessBuilder(cmd).directory(Repo.root().toFile());
    try {
      Path out = Files.createTempFile("kiln-deploy-checks", ".out");
      Path err = Files.createTempFile("kiln-deploy-checks", ".err");
      try {
        // why files, not pipes: a chatty tool cannot block on a full pipe while we wait for it
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(
              String.join(" ", cmd) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", cmd), e);
    }
  }
}
