package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The metric-name extraction behind {@link MonitoringMetricsSystemTest}, on its own: plain PromQL,
 * Grafana variables, histograms, and the repository's real dashboards and alert rules. Starts
 * nothing.
 */
class PromQlMetricNamesTest {

  @Test
  void aSelectorIsItsMetric() {
    assertThat(PromQlMetricNames.of("kiln_outbox_pending")).containsExactly("kiln_outbox_pending");
    assertThat(PromQlMetricNames.of("max(kiln_outbox_pending) > 100"))
        .containsExactly("kiln_outbox_pending");
  }

  @Test
  void labelsStringsRangesAndGroupingAreNotMetrics() {
    String expr =
        "sum by (type, outcome) (rate(kiln_jobs_finished_total{outcome=~\"succeeded|failed\","
            + " type=\"x_total\"}[15m] offset 5m)) / on (type) group_left(tenant)"
            + " sum without (instance) (rate(kiln_jobs_submitted_total[1h:5m]))";

    assertThat(PromQlMetricNames.of(expr))
        .containsExactlyInAnyOrder("kiln_jobs_finished_total", "kiln_jobs_submitted_total");
  }

  @Test
  void histogramSeriesCountAsTheirHistogram() {
    assertThat(
            PromQlMetricNames.of(
                "histogram_quantile(0.95, sum by (le, type) (rate(kiln_job_duration_seconds_bucket[5m])))"))
        .containsExactly("kiln_job_duration_seconds");
    assertThat(
            PromQlMetricNames.of(
                "sum(rate(http_server_requests_seconds_sum[5m])) / sum(rate(http_server_requests_seconds_count[5m]))"))
        .containsExactly("http_server_requests_seconds");
    assertThat(PromQlMetricNames.family("kiln_job_duration_seconds_max"))
        .isEqualTo("kiln_job_duration_seconds_max");
  }

  @Test
  void grafanaVariablesAreNeitherMetricsNorBreakTheQuery() {
    String expr =
        "sum by (stage) (increase(kiln_stage_duration_seconds_sum{type=\"$type\",stage=~\"$stage\"}"
            + "[$__range])) / sum by (stage) (increase(kiln_stage_duration_seconds_count"
            + "{type=\"${type}\"}[$__rate_interval])) * $factor";

    assertThat(PromQlMetricNames.of(expr)).containsExactly("kiln_stage_duration_seconds");
  }

  @Test
  void keywordsNumbersAndDurationsAreNotMetrics() {
    String expr =
        "kiln_workers == bool 0 and kiln_jobs_running > 1e3 or up unless"
            + " kiln_sse_clients offset 1h30m > Inf";

    assertThat(PromQlMetricNames.of(expr))
        .containsExactlyInAnyOrder("kiln_workers", "kiln_jobs_running", "up", "kiln_sse_clients");
  }

  @Test
  void multiLineRuleExpressions() {
    String expr =
        """
        max by (type) (kiln_queue_oldest_job_age_seconds) > 0
        and on (type)
        max by (type) (kiln_workers) == 0
        """;

    assertThat(PromQlMetricNames.of(expr))
        .containsExactlyInAnyOrder("kiln_queue_oldest_job_age_seconds", "kiln_workers");
  }

  @Test
  void anExpositionListsItsSampledFamilies() {
    String exposition =
        """
        # HELP kiln_job_duration_seconds Time from submission to the job's end
        # TYPE kiln_job_duration_seconds histogram
        kiln_job_duration_seconds_bucket{type="synthetic",le="0.05"} 0.0
        kiln_job_duration_seconds_count{type="synthetic"} 3.0
        kiln_job_duration_seconds_sum{type="synthetic"} 1.5
        kiln_sse_clients 0.0
        # TYPE kiln_declared_only gauge
        """;

    assertThat(ExposedMetrics.families(exposition))
        .containsExactlyInAnyOrder("kiln_job_duration_seconds", "kiln_sse_clients");
  }

  /**
   * The repository's monitoring queries: every one reads a metric, and the issue's are all used.
   */
  @Test
  void theDashboardsAndAlertsQueryEveryMetricOfTheIssue() {
    MonitoringQueries monitoring = MonitoringQueries.load(repositoryRoot());

    assertThat(monitoring.queries()).hasSizeGreaterThan(50);
    for (MonitoringQueries.Query q : monitoring.queries()) {
      assertThat(PromQlMetricNames.of(q.expr()))
          .as("metrics of %s: %s", q.where(), q.expr())
          .isNotEmpty();
    }
    Map<String, Set<String>> metrics = monitoring.metrics();
    assertThat(metrics)
        .containsKeys(
            "kiln_jobs_submitted_total",
            "kiln_jobs_finished_total",
            "kiln_job_duration_seconds",
            "kiln_stage_duration_seconds",
            "kiln_queue_depth",
            "kiln_queue_oldest_job_age_seconds",
            "kiln_jobs_running",
            "kiln_workers",
            "kiln_sse_clients",
            "kiln_event_relay_lag_seconds",
            "kiln_outbox_pending");
    assertThat(monitoring.kilnProcessMetrics().keySet())
        .as("no typo'd or Grafana-only names slipped through")
        .allMatch(n -> n.matches("(kiln|http|jvm|process)_[a-z0-9_]+"));
  }

  static Path repositoryRoot() {
    return KilnCluster.moduleDir().resolve("..").normalize();
  }
}
