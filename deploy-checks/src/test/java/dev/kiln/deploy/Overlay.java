package dev.kiln.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kustomizations under k8s/, rendered once per test run with {@code kubectl kustomize} (the
 * kustomize built into kubectl, as an operator would apply them).
 */
public enum Overlay {
  DEV("k8s/overlays/dev", true),
  PROD("k8s/overlays/prod", true),
  /** The operator-run backing services documented for prod; not Kiln's own workloads. */
  PROD_EXAMPLES("k8s/overlays/prod/examples", false);

  private static final Map<Overlay, List<Manifest>> RENDERED = new ConcurrentHashMap<>();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String dir;
  private final boolean runsKiln;

  Overlay(String dir, boolean runsKiln) {
    this.dir = dir;
    this.runsKiln = runsKiln;
  }

  public String dir() {
    return dir;
  }

  /** Whether the overlay deploys the gateway and workers (the examples do not). */
  public boolean runsKiln() {
    return runsKiln;
  }

  /** The overlays that deploy Kiln itself. */
  public static List<Overlay> apps() {
    return List.of(DEV, PROD);
  }

  public List<Manifest> manifests() {
    return RENDERED.computeIfAbsent(this, Overlay::render);
  }

  public List<Manifest> ofKind(String kind) {
    return manifests().stream().filter(m -> m.kind().equals(kind)).toList();
  }

  public Optional<Manifest> find(String kind, String name) {
    return manifests().stream()
        .filter(m -> m.kind().equals(kind) && m.name().equals(name))
        .findFirst();
  }

  public Manifest get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new AssertionError(this + " renders no " + kind + " " + name));
  }

  private static List<Manifest> render(Overlay overlay) {
    Tools.require(
        "kubectl",
        "Install kubectl 1.27 or newer (it embeds kustomize v5; Debian's kubernetes-client 1.20"
            + " is too old for this kustomization syntax)");
    Tools.Result result = Tools.run(List.of("kubectl", "kustomize", overlay.dir));
    if (!result.ok()) {
      throw new AssertionError(
          "kubectl kustomize "
              + overlay.dir
              + " failed ("
              + result.exitCode()
              + "):\n"
              + result.stderr());
    }
    List<Manifest> manifests = new ArrayList<>();
    try (MappingIterator<JsonNode> docs =
        YAML.readerFor(JsonNode.class).readValues(result.stdout())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        if (!(doc instanceof ObjectNode object)) {
          throw new AssertionError(overlay.dir + " rendered a document that is not an object");
        }
        manifests.add(new Manifest(overlay.dir, manifests.size(), object));
      }
    } catch (IOException e) {
      throw new AssertionError("cannot parse the output of kubectl kustomize " + overlay.dir, e);
    }
    if (manifests.isEmpty()) {
      throw new AssertionError("kubectl kustomize " + overlay.dir + " rendered nothing");
    }
    return List.copyOf(manifests);
  }

  /** Parses YAML documents (for files that are not rendered through kustomize). */
  public static List<JsonNode> parseYaml(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (JsonParser parser = YAML.getFactory().createParser(text);
        MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(parser)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new AssertionError("cannot parse YAML: " + e.getMessage(), e);
    }
  }
}
