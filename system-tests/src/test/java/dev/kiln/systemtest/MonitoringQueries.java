package dev.kiln.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL query of Kiln's monitoring: the {@code expr} of each Grafana panel target in {@code
 * deploy/grafana/dashboards}, the metric of each {@code label_values(...)} template variable, and
 * the {@code expr} of each rule in {@code deploy/prometheus/alerts.yml}.
 */
public final class MonitoringQueries {

  /** One query and where it is written, e.g. {@code kiln-overview.json: Queue depth}. */
  public record Query(String where, String expr) {}

  /**
   * Metrics that neither the gateway nor a worker exposes: Prometheus's own {@code up}, and
   * RabbitMQ's plugin ({@code rabbitmq_*}), which the system tests' broker need not have.
   */
  static final Set<String> EXTERNAL_NAMES = Set.of("up");

  static final List<String> EXTERNAL_PREFIXES = List.of("rabbitmq_");

  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.*),\\s*\\w+\\s*\\)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<Query> queries;

  private MonitoringQueries(List<Query> queries) {
    this.queries = List.copyOf(queries);
  }

  /** The queries of the dashboards and alert rules under {@code repositoryRoot/deploy}. */
  public static MonitoringQueries load(Path repositoryRoot) {
    List<Query> all = new ArrayList<>();
    Path dashboards = repositoryRoot.resolve("deploy/grafana/dashboards");
    try (Stream<Path> files = Files.list(dashboards)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        addDashboard(file, all);
      }
      addAlerts(repositoryRoot.resolve("deploy/prometheus/alerts.yml"), all);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new MonitoringQueries(all);
  }

  private static void addDashboard(Path file, List<Query> all) throws IOException {
    JsonNode dashboard = JSON.readTree(file.toFile());
    String name = file.getFileName().toString();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          all.add(
              new Query(name + ": " + panel.path("title").asText(), target.get("expr").asText()));
        }
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if ("query".equals(variable.path("type").asText())) {
        JsonNode query = variable.path("query");
        String text = query.isObject() ? query.path("query").asText() : query.asText();
        Matcher m = LABEL_VALUES.matcher(text);
        if (m.matches()) {
          all.add(new Query(name + ": variable " + variable.path("name").asText(), m.group(1)));
        }
      }
    }
  }

  /** Panels of a dashboard, those nested in collapsed rows included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  private static void addAlerts(Path file, List<Query> all) throws IOException {
    for (JsonNode rule : rules(file)) {
      String name =
          rule.hasNonNull("alert") ? rule.get("alert").asText() : rule.path("record").asText();
      all.add(new Query("alerts.yml: " + name, rule.path("expr").asText()));
    }
  }

  /** The rules of every group of a Prometheus rule file. */
  static List<JsonNode> rules(Path file) throws IOException {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
      group.path("rules").forEach(rules::add);
    }
    return rules;
  }

  public List<Query> queries() {
    return queries;
  }

  /** Each metric family queried, with the places that query it. */
  public Map<String, Set<String>> metrics() {
    Map<String, Set<String>> byName = new TreeMap<>();
    for (Query q : queries) {
      for (String name : PromQlMetricNames.of(q.expr())) {
        byName.computeIfAbsent(name, n -> new TreeSet<>()).add(q.where());
      }
    }
    return byName;
  }

  /** The queried metrics that Kiln's own processes must expose (everything but the external). */
  public Map<String, Set<String>> kilnProcessMetrics() {
    Map<String, Set<String>> own = new TreeMap<>(metrics());
    own.keySet().removeIf(MonitoringQueries::external);
    return own;
  }

  static boolean external(String name) {
    return EXTERNAL_NAMES.contains(name) || EXTERNAL_PREFIXES.stream().anyMatch(name::startsWith);
  }
}
