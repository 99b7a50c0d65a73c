package dev.kiln.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One object of a rendered overlay, as kustomize printed it. */
public record Manifest(String source, int index, ObjectNode node) {

  public String apiVersion() {
    return node.path("apiVersion").asText("");
  }

  public String kind() {
    return node.path("kind").asText("");
  }

  public String name() {
    return node.path("metadata").path("name").asText("");
  }

  /** The API group, "" for the core group. */
  public String group() {
    String apiVersion = apiVersion();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public JsonNode spec() {
    return node.path("spec");
  }

  /** The object as its fabric8 class, strictly (see {@link KubeModel}). */
  public <T> T as(Class<T> type) {
    return KubeModel.read(this, type);
  }

  @Override
  public String toString() {
    return kind() + " " + name() + " (object " + (index + 1) + " of " + source + ")";
  }
}
