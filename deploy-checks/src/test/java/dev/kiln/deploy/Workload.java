package dev.kiln.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A rendered object that runs pods (Deployment, StatefulSet, Job), with its pod template. */
public record Workload(Overlay overlay, Manifest manifest, PodTemplateSpec template) {

  public static List<Workload> all(Overlay overlay) {
    return overlay.manifests().stream().map(m -> of(overlay, m)).flatMap(Optional::stream).toList();
  }

  public static Optional<Workload> of(Overlay overlay, Manifest m) {
    PodTemplateSpec template =
        switch (m.kind()) {
          case "Deployment" -> m.as(Deployment.class).getSpec().getTemplate();
          case "StatefulSet" -> m.as(StatefulSet.class).getSpec().getTemplate();
          case "Job" -> m.as(Job.class).getSpec().getTemplate();
          default -> null;
        };
    return Optional.ofNullable(template).map(t -> new Workload(overlay, m, t));
  }

  /** Kiln's gateway or worker Deployments (by their app.kubernetes.io/component label). */
  public static List<Workload> kiln(Overlay overlay, String component) {
    return all(overlay).stream()
        .filter(w -> component.equals(w.label("app.kubernetes.io/component")))
        .toList();
  }

  public String name() {
    return manifest.name();
  }

  public Map<String, String> podLabels() {
    Map<String, String> labels = template.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  public String label(String key) {
    return podLabels().get(key);
  }

  /** Whether Kiln owns the pod (and so its default-deny policy applies). */
  public boolean partOfKiln() {
    return "kiln".equals(label("app.kubernetes.io/part-of"));
  }

  public Container container(String name) {
    return template.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(manifest + " has no container " + name));
  }

  /**
   * The environment a container starts with: the keys of its envFrom ConfigMaps (from the render)
   * overridden by its env entries. Values from Secrets or fields read as "(from ...)" since only
   * their presence matters here.
   */
  public Map<String, String> env(Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : c.getEnvFrom()) {
      if (from.getSecretRef() != null) {
        throw new AssertionError(
            manifest
                + ": envFrom secretRef hides which variables a container gets; use"
                + " env[].valueFrom.secretKeyRef per variable");
      }
      if (from.getConfigMapRef() != null) {
        String name = from.getConfigMapRef().getName();
        Manifest cm =
            overlay
                .find("ConfigMap", name)
                .orElseThrow(
                    () ->
                        new AssertionError(
                            manifest + ": envFrom ConfigMap " + name + " is not rendered"));
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        cm.node()
            .path("data")
            .fields()
            .forEachRemaining(e -> env.put(prefix + e.getKey(), e.getValue().asText()));
      }
    }
    for (EnvVar e : c.getEnv()) {
      String value = e.getValue();
      if (e.getValueFrom() != null) {
        var from = e.getValueFrom();
        value =
            from.getSecretKeyRef() != null
                ? "(from Secret "
                    + from.getSecretKeyRef().getName()
                    + "/"
                    + from.getSecretKeyRef().getKey()
                    + ")"
                : "(from " + from + ")";
      }
      env.put(e.getName(), value == null ? "" : value);
    }
    return env;
  }

  @Override
  public String toString() {
    return manifest.kind() + " " + manifest.name() + " in " + overlay.dir();
  }
}
