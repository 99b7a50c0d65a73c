package dev.kiln.deploy.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kiln.deploy.App;
import dev.kiln.deploy.KubeModel;
import dev.kiln.deploy.Manifest;
import dev.kiln.deploy.Overlay;
import dev.kiln.deploy.Repo;
import dev.kiln.deploy.Selectors;
import dev.kiln.deploy.Tools;
import dev.kiln.deploy.Workload;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Prometheus finds both apps where they serve metrics, and the alert rules load in Prometheus. */
class MonitoringTest {

  private static final String METRICS_PATH = "/q/metrics";

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void theServiceMonitorScrapesTheGateway(Overlay overlay) {
    Manifest monitor = overlay.get("ServiceMonitor", "kiln-gateway");
    LabelSelector selector =
        KubeModel.read(monitor.spec().path("selector"), LabelSelector.class, monitor.toString());
    List<Service> services =
        overlay.ofKind("Service").stream()
            .map(m -> m.as(Service.class))
            .filter(s -> Selectors.matches(selector, s.getMetadata().getLabels()))
            .toList();
    assertThat(services).extracting(s -> s.getMetadata().getName()).containsExactly("kiln-gateway");
    for (JsonNode endpoint : monitor.spec().path("endpoints")) {
      assertThat(endpoint.path("path").asText()).isEqualTo(METRICS_PATH);
      assertThat(services.getFirst().getSpec().getPorts())
          .anyMatch(p -> p.getName().equals(endpoint.path("port").asText()));
    }
    // job="kiln-gateway", the name KilnProcessDown in the PrometheusRule watches
    assertThat(services.getFirst().getMetadata().getName()).isEqualTo("kiln-gateway");
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void thePodMonitorScrapesEveryWorker(Overlay overlay) {
    Manifest monitor = overlay.get("PodMonitor", "kiln-worker");
    LabelSelector selector =
        KubeModel.read(monitor.spec().path("selector"), LabelSelector.class, monitor.toString());
    String jobLabel = monitor.spec().path("jobLabel").asText();
    List<Workload> workers = Workload.kiln(overlay, App.WORKER.component());
    assertThat(workers).isNotEmpty();
    for (Workload w : workers) {
      assertThat(Selectors.matches(selector, w.podLabels()))
          .as("PodMonitor selects %s", w)
          .isTrue();
      // job="kiln-worker", the name KilnProcessDown in the PrometheusRule watches
      assertThat(w.label(jobLabel)).as("%s: job label value", w).isEqualTo("kiln-worker");
      monitor
          .spec()
          .path("podTargetLabels")
          .forEach(l -> assertThat(w.podLabels()).as("%s", w).containsKey(l.asText()));
      for (JsonNode endpoint : monitor.spec().path("podMetricsEndpoints")) {
        assertThat(endpoint.path("path").asText()).isEqualTo(METRICS_PATH);
        assertThat(w.container(App.WORKER.container()).getPorts())
            .anyMatch(p -> p.getName().equals(endpoint.path("port").asText()));
      }
    }
    // nothing else is scraped as a worker
    assertThat(
            Workload.all(overlay).stream().filter(w -> Selectors.matches(selector, w.podLabels())))
        .hasSameSizeAs(workers);
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void theAlertRulesLoadInPrometheus(Overlay overlay) throws Exception {
    Tools.require("promtool", "Install the Debian package prometheus (it ships promtool)");
    for (Manifest rule : overlay.ofKind("PrometheusRule")) {
      Path file = Files.createTempFile("kiln-rules", ".yml");
      try {
        // promtool reads a Prometheus rule file: the CR's spec is exactly that
        new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), rule.spec());
        Tools.Result result = Tools.run(List.of("promtool", "check", "rules", file.toString()));
        assertThat(result.ok())
            .as("promtool check rules on %s:\n%s%s", rule, result.stdout(), result.stderr())
            .isTrue();
      } finally {
        Files.deleteIfExists(file);
      }
    }
    assertThat(overlay.ofKind("PrometheusRule")).extracting(Manifest::name).containsExactly("kiln");
    assertThat(overlay.get("PrometheusRule", "kiln").spec().path("groups").findValuesAsText("name"))
        .contains("kiln");
  }

  @ParameterizedTest
  @EnumSource(
      value = Overlay.class,
      names = {"DEV", "PROD"})
  void theOperatorRulesAreTheRulesTestedForCompose(Overlay overlay) throws Exception {
    com.fasterxml.jackson.databind.JsonNode tested =
        new ObjectMapper(new YAMLFactory())
            .readTree(Repo.read("deploy/prometheus/alerts.yml"))
            .path("groups");

    assertThat(overlay.get("PrometheusRule", "kiln").spec().path("groups"))
        .as("k8s/base/prometheus-rule.yaml must carry the groups of deploy/prometheus/alerts.yml")
        .isEqualTo(tested);
  }
}
