package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every metric that a Grafana panel or an alert rule queries is exposed by the real gateway or
 * worker: a renamed metric, a typo in a query or a metric that only appears later than expected
 * would otherwise leave an empty panel or an alert that can never fire, and nothing would notice.
 *
 * <p>The cluster runs a job that succeeds and one that fails first, so the metrics that appear only
 * once something happened (submissions by tenant, stage durations, HTTP requests) are there too.
 * Metrics of other exporters ({@link MonitoringQueries#EXTERNAL_NAMES}, {@code rabbitmq_*}) are not
 * checked here.
 */
@ExtendWith(ProcessLogsOnFailure.class)
class MonitoringMetricsSystemTest {

  @RegisterExtension
  static final ClusterPerClass CLUSTER = ClusterPerClass.of(c -> c.gateways(1).workers(1));

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void everyMetricTheDashboardsAndAlertsQueryIsExposed() {
    UUID succeeds =
        CLUSTER.api().submitSynthetic("{\"stages\":2,\"stageMillis\":50,\"artifactBytes\":1024}");
    UUID fails =
        CLUSTER.api().submitSynthetic("{\"stages\":1,\"stageMillis\":50,\"failAtStage\":1}");
    CLUSTER.api().awaitStatus(succeeds, "succeeded", WAIT);
    CLUSTER.api().awaitStatus(fails, "failed", WAIT);

    Map<String, Set<String>> exposedBy = new TreeMap<>();
    for (KilnCluster.Node node : CLUSTER.cluster().nodes()) {
      KilnApi.Response scrape = new KilnApi(node.baseUri()).get("/q/metrics");
      assertThat(scrape.status()).as("/q/metrics of %s", node).isEqualTo(200);
      for (String family : ExposedMetrics.families(scrape.body())) {
        exposedBy.computeIfAbsent(family, f -> new TreeSet<>()).add(node.name());
      }
    }

    Map<String, Set<String>> missing = new TreeMap<>();
    MonitoringQueries.load(PromQlMetricNamesTest.repositoryRoot())
        .kilnProcessMetrics()
        .forEach(
            (metric, queriedBy) -> {
              if (!exposedBy.containsKey(metric)) {
                missing.put(metric, queriedBy);
              }
            });
    assertThat(missing)
        .as(
            "metrics queried by dashboards or alerts (value: where) that neither the gateway nor"
                + " the worker exposes")
        .isEmpty();
  }
}
