package dev.kiln.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.deploy.App;
import dev.kiln.deploy.Compose;
import dev.kiln.deploy.Tools;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docker-compose.yml is valid for docker-compose and sets only variables the apps read. */
class ComposeTest {

  @Test
  void dockerComposeAcceptsTheFile() {
    Tools.require("docker-compose", "Install the Debian package docker-compose");
    Tools.Result result =
        Tools.run(List.of("docker-compose", "-f", "docker-compose.yml", "config", "-q"));
    assertThat(result.ok()).as("docker-compose config -q:\n%s", result.stderr()).isTrue();
  }

  @Test
  void theAppsGetOnlyVariablesTheyRead() {
    for (App app : App.values()) {
      JsonNode service = serviceBuilding(app.dockerfile());
      Set<String> unread = new TreeSet<>();
      service.path("environment").fieldNames().forEachRemaining(unread::add);
      assertThat(unread).as("%s's compose environment", app).isNotEmpty();
      unread.removeAll(app.envNamesRead());
      assertThat(unread)
          .as("variables docker-compose.yml gives the %s that it never reads", app)
          .isEmpty();
    }
  }

  @Test
  void theWorkerOutlivesItsShutdownGrace() {
    JsonNode worker = serviceBuilding(App.WORKER.dockerfile());
    String grace = worker.path("environment").path("KILN_WORKER_SHUTDOWN_GRACE").asText("30s");
    assertThat(App.duration(worker.path("stop_grace_period").asText("10s")))
        .as("stop_grace_period must exceed KILN_WORKER_SHUTDOWN_GRACE")
        .isGreaterThan(App.duration(grace));
  }

  private static JsonNode serviceBuilding(String dockerfile) {
    for (JsonNode service : Compose.config().path("services")) {
      if (dockerfile.equals(service.path("build").path("dockerfile").asText())) {
        return service;
      }
    }
    throw new AssertionError("no docker-compose service builds " + dockerfile);
  }
}
