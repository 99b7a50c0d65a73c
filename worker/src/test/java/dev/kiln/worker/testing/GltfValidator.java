package dev.kiln.worker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Khronos glTF validator (npm package {@code gltf-validator}, pinned in {@code
 * src/test/node/package-lock.json}) on a GLB and returns its report. Installs the package with
 * {@code npm ci} the first time, so a fresh clone needs nothing but Node and npm.
 */
public final class GltfValidator {

  private static final Path TOOLS = Path.of("src", "test", "node").toAbsolutePath();

  private GltfValidator() {}

  /** The validator's JSON report; {@code /issues/numErrors} is what the check reads. */
  public static JsonNode validate(byte[] glb) throws IOException, InterruptedException {
    ensureInstalled();
    Path file = Files.createTempFile("kiln-validate-", ".glb");
    try {
      Files.write(file, glb);
      String out = run(List.of("node", "validate-glb.mjs", file.toString()), 120);
      return new ObjectMapper().readTree(out);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static synchronized void ensureInstalled() throws IOException, InterruptedException {
    if (Files.isDirectory(TOOLS.resolve("node_modules").resolve("gltf-validator"))) {
      return;
    }
    run(List.of("npm", "ci", "--no-audit", "--no-fund"), 600);
  }

  private static String run(List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("kiln-node-", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(TOOLS.toFile())
              .redirectErrorStream(false)
              .redirectError(log.toFile())
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + " took more than " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " exited with "
                + p.exitValue()
                + ": "
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
