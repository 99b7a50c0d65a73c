package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/prometheus} as Prometheus itself reads it, checked by {@code promtool}: the config
 * (with its rule files), the alert rules, and the rules' unit tests in {@code alerts-test.yml}.
 * Starts nothing but promtool, which {@code ./kiln test} installs ({@code apt-get install
 * prometheus}).
 */
class PrometheusConfigTest {

  private static final Path DIR =
      PromQlMetricNamesTest.repositoryRoot().resolve("deploy/prometheus");

  @Test
  void theConfigIsValid() throws Exception {
    promtool("check", "config", "prometheus.yml");
  }

  @Test
  void theAlertRulesAreValid() throws Exception {
    promtool("check", "rules", "alerts.yml");
  }

  @Test
  void theAlertsFireWhenTheirUnitTestsSayTheyShould() throws Exception {
    promtool("test", "rules", "alerts-test.yml");
  }

  private static void promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      fail(
          "promtool is not installed, so deploy/prometheus cannot be checked. Install it with"
              + " `apt-get install prometheus` (Debian/Ubuntu; ./kiln test does this) or put the"
              + " promtool of a Prometheus release on the PATH. ("
              + e.getMessage()
              + ")");
      return;
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("promtool %s did not finish within 60 s", String.join(" ", args));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue())
        .as("promtool %s in %s:%n%s", String.join(" ", args), DIR, output)
        .isZero();
  }
}
