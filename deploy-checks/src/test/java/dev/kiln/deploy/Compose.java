package dev.kiln.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * docker-compose.yml as docker-compose itself resolves it ({@code docker-compose config}: YAML
 * anchors and merges applied, variables substituted), so the checks read what compose would run.
 */
public final class Compose {

  private static JsonNode resolved;

  private Compose() {}

  public static synchronized JsonNode config() {
    if (resolved == null) {
      Tools.require("docker-compose", "Install the Debian package docker-compose");
      Tools.Result result =
          Tools.run(List.of("docker-compose", "-f", "docker-compose.yml", "config"));
      if (!result.ok()) {
        throw new AssertionError("docker-compose config failed:\n" + result.stderr());
      }
      resolved = Overlay.parseYaml(result.stdout()).getFirst();
    }
    return resolved;
  }

  public static JsonNode service(String name) {
    JsonNode service = config().path("services").path(name);
    if (service.isMissingNode()) {
      throw new AssertionError("docker-compose.yml has no service " + name);
    }
    return service;
  }
}
