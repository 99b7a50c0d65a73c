package dev.kiln.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one application really reads, taken from its sources: application.properties and the
 * {@code @ConfigMapping} interfaces. The deployment files must agree with it.
 */
public enum App {
  GATEWAY("api-gateway", "gateway", "gateway", "deploy/gateway.Dockerfile"),
  WORKER("worker", "worker", "worker", "deploy/worker.Dockerfile");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
  private static final Pattern CODE_ENV = Pattern.compile("\\{@code (KILN_[A-Z0-9_]+)}");
  private static final Pattern MAPPING_PREFIX =
      Pattern.compile("@ConfigMapping\\(prefix = \"([a-z0-9.-]+)\"\\)");
  // google-java-format puts interface members at two spaces; default and static ones are not
  // configuration
  private static final Pattern MAPPING_MEMBER =
      Pattern.compile(
          "(?m)^  (?!default |static |public |private )[\\w<>?,. \\[\\]]+ (\\w+)\\(\\);$");

  private final String module;
  private final String component;
  private final String container;
  private final String dockerfile;

  App(String module, String component, String container, String dockerfile) {
    this.module = module;
    this.component = component;
    this.container = container;
    this.dockerfile = dockerfile;
  }

  /** The value of the pods' app.kubernetes.io/component label. */
  public String component() {
    return component;
  }

  public String container() {
    return container;
  }

  public String dockerfile() {
    return dockerfile;
  }

  /** application.properties, with ${...} left as written. */
  public Properties properties() {
    Properties p = new Properties();
    try {
      p.load(new StringReader(Repo.read(module + "/src/main/resources/application.properties")));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  /**
   * Every environment variable the app reads: the ones named in ${...} placeholders, the
   * environment form of every property it sets (Quarkus lets KILN_WORKER_CONCURRENCY override
   * kiln.worker.concurrency), the names its @ConfigMapping Javadoc documents, and the environment
   * form of every @ConfigMapping member (kiln.worker + types() reads KILN_WORKER_TYPES).
   */
  public Set<String> envNamesRead() {
    Set<String> names = new TreeSet<>();
    Properties p = properties();
    for (String key : p.stringPropertyNames()) {
      Matcher m = PLACEHOLDER.matcher(p.getProperty(key));
      while (m.find()) {
        names.add(m.group(1));
      }
      if (!key.startsWith("%")) {
        names.add(toEnv(key));
      }
    }
    for (Path source : configMappings()) {
      String java = readFile(source);
      Matcher code = CODE_ENV.matcher(java);
      while (code.find()) {
        names.add(code.group(1));
      }
      Matcher prefix = MAPPING_PREFIX.matcher(java);
      if (prefix.find()) {
        Matcher member = MAPPING_MEMBER.matcher(java);
        while (member.find()) {
          names.add(toEnv(prefix.group(1) + "." + kebab(member.group(1))));
        }
      }
    }
    return names;
  }

  /**
   * The value the app ends up with for a property, given the container's environment: the
   * environment form of the key wins (as in Quarkus), else the property with its ${NAME:default}
   * placeholders resolved against the environment.
   */
  public String effective(String key, Map<String, String> env) {
    if (env.containsKey(toEnv(key))) {
      return env.get(toEnv(key));
    }
    String value = properties().getProperty(key);
    if (value == null) {
      throw new AssertionError(module + " sets no " + key);
    }
    return expand(value, env);
  }

  /** The HTTP port the app listens on with this environment. */
  public int httpPort(Map<String, String> env) {
    return Integer.parseInt(effective("quarkus.http.port", env));
  }

  /** Quarkus's health endpoints under its non-application root (defaults /q/health/...). */
  public String healthPath(String check) {
    Properties p = properties();
    String root = p.getProperty("quarkus.http.non-application-root-path", "q");
    String health = p.getProperty("quarkus.smallrye-health.root-path", "health");
    String leaf =
        p.getProperty(
            "quarkus.smallrye-health." + check + "-path",
            switch (check) {
              case "liveness" -> "live";
              case "readiness" -> "ready";
              case "startup" -> "started";
              default -> throw new IllegalArgumentException(check);
            });
    return "/" + strip(root) + "/" + strip(health) + "/" + strip(leaf);
  }

  /** Quarkus's duration syntax: 30, 30s, 5S, 250ms, 10m, PT30S. */
  public static Duration duration(String text) {
    String t = text.trim();
    if (t.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(t));
    }
    Matcher m = Pattern.compile("(?i)^(\\d+)(ms|s|m|h|d)$").matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2).toLowerCase()) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    return Duration.parse(t.startsWith("P") || t.startsWith("p") ? t : "PT" + t);
  }

  /** kiln.worker.shutdown-grace -> KILN_WORKER_SHUTDOWN_GRACE (Quarkus's environment mapping). */
  public static String toEnv(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
  }

  private static String strip(String segment) {
    return segment.replaceAll("^/+|/+$", "");
  }

  private static String expand(String value, Map<String, String> env) {
    // innermost ${NAME:default} first, so nested defaults resolve
    Pattern inner = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)(?::([^${}]*))?}");
    String current = value;
    for (int guard = 0; guard < 10; guard++) {
      Matcher m = inner.matcher(current);
      if (!m.find()) {
        return current;
      }
      String replacement = env.getOrDefault(m.group(1), m.group(2) == null ? "" : m.group(2));
      current = current.substring(0, m.start()) + replacement + current.substring(m.end());
    }
    return current;
  }

  private Stream<Path> javaSources() {
    try {
      return Files.walk(Repo.path(module + "/src/main/java"))
          .filter(f -> f.toString().endsWith(".java"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private java.util.List<Path> configMappings() {
    try (Stream<Path> files = javaSources()) {
      return files.filter(f -> readFile(f).contains("@ConfigMapping(")).toList();
    }
  }

  private static String readFile(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
