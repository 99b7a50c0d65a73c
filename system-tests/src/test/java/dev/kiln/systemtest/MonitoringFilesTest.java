package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The dashboards and alert rules are well-formed beyond what Grafana and promtool check: every
 * panel uses the provisioned datasource and fits the grid, ids and uids are unique, there is a
 * dashboard per job type, and every alert has what an on-call engineer needs, including a runbook
 * section that exists. Starts nothing.
 */
class MonitoringFilesTest {

  private static final Path ROOT = PromQlMetricNamesTest.repositoryRoot();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void dashboardsUseTheProvisionedDatasourceAndAValidLayout() throws Exception {
    String datasource =
        Files.readString(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
    assertThat(datasource).contains("uid: kiln-prometheus");
    Set<String> uids = new HashSet<>();
    for (Path file : dashboards()) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      String name = file.getFileName().toString();
      assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid in %s", name).isTrue();
      assertThat(dashboard.path("title").asText()).as(name).isNotBlank();
      assertThat(dashboard.path("schemaVersion").asInt()).as(name).isBetween(36, 41);
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : MonitoringQueries.panels(dashboard)) {
        String title = name + ": " + panel.path("title").asText();
        assertThat(ids.add(panel.path("id").asInt())).as("unique id, %s", title).isTrue();
        JsonNode grid = panel.path("gridPos");
        assertThat(grid.path("x").asInt() + grid.path("w").asInt())
            .as("width of %s", title)
            .isLessThanOrEqualTo(24);
        assertThat(grid.path("h").asInt()).as("height of %s", title).isPositive();
        if (!"row".equals(panel.path("type").asText())) {
          assertThat(panel.path("datasource").path("uid").asText())
              .as(title)
              .isEqualTo("kiln-prometheus");
          assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty();
          for (JsonNode target : panel.path("targets")) {
            assertThat(target.path("datasource").path("uid").asText())
                .as(title)
                .isEqualTo("kiln-prometheus");
            assertThat(target.path("expr").asText()).as(title).isNotBlank();
          }
        }
      }
    }
  }

  @Test
  void everyJobTypeHasItsDashboardByStage() throws Exception {
    List<String> types;
    try (Stream<Path> files =
        Files.list(ROOT.resolve("common-model/src/main/resources/META-INF/kiln/job-types"))) {
      types = files.map(f -> f.getFileName().toString().replace(".json", "")).sorted().toList();
    }
    assertThat(types).contains("synthetic", "reconstruction", "extraction");
    for (String type : types) {
      Path file = ROOT.resolve("deploy/grafana/dashboards/kiln-" + type + ".json");
      assertThat(file).as("dashboard of job type %s", type).exists();
      String text = Files.readString(file);
      assertThat(text)
          .contains("kiln_stage_duration_seconds_bucket")
          .contains("\"query\": \"" + type + "\"");
    }
  }

  @Test
  void everyAlertHasSeverityForSummaryDescriptionAndAnExistingRunbookSection() throws Exception {
    Set<String> anchors = headingAnchors(ROOT.resolve("docs/runbooks.md"));
    List<JsonNode> rules = MonitoringQueries.rules(ROOT.resolve("deploy/prometheus/alerts.yml"));
    assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
    for (JsonNode rule : rules) {
      String alert = rule.path("alert").asText();
      assertThat(alert).isNotBlank();
      assertThat(rule.path("for").asText()).as("for: of %s", alert).isNotBlank();
      assertThat(rule.path("labels").path("severity").asText())
          .as(alert)
          .isIn("critical", "warning");
      JsonNode annotations = rule.path("annotations");
      assertThat(annotations.path("summary").asText()).as(alert).isNotBlank();
      assertThat(annotations.path("description").asText()).as(alert).isNotBlank();
      String runbook = annotations.path("runbook_url").asText();
      assertThat(runbook).as(alert).isEqualTo("docs/runbooks.md#" + alert.toLowerCase(Locale.ROOT));
      assertThat(anchors)
          .as("section for %s in docs/runbooks.md", alert)
          .contains(runbook.substring(runbook.indexOf('#') + 1));
    }
  }

  /**
   * GitHub's anchors of a Markdown file's headings: lower case, spaces to hyphens, no punctuation.
   */
  private static Set<String> headingAnchors(Path markdown) throws Exception {
    return Files.readAllLines(markdown).stream()
        .filter(l -> l.startsWith("#"))
        .map(l -> l.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT))
        .map(h -> h.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
        .collect(Collectors.toSet());
  }

  private static List<Path> dashboards() throws Exception {
    try (Stream<Path> files = Files.list(ROOT.resolve("deploy/grafana/dashboards"))) {
      List<Path> all = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      assertThat(all).isNotEmpty();
      return all;
    }
  }
}
