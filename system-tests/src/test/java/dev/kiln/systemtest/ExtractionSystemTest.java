package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.model.fixtures.RecipeScoring;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.json.KilnJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Extraction jobs as a recipe app submits them: a URL served on 127.0.0.1 (the only network tests
 * may reach, allowed explicitly), fetched by a worker process through the SSRF guard.
 */
@ExtendWith(ProcessLogsOnFailure.class)
class ExtractionSystemTest {

  @RegisterExtension
  static final ClusterPerClass CLUSTER =
      ClusterPerClass.of(
          c ->
              c.gateways(1)
                  .workers(2)
                  // why: tests may reach loopback only, and the guard refuses it unless told
                  // otherwise
                  .env("KILN_FETCH_ALLOW_CIDRS", "127.0.0.1/32"));

  private static final Duration JOB_END = Duration.ofSeconds(60);

  /**
   * The real-world pages of {@code ../shared/recipes} next to the repository (or {@code
   * KILN_RECIPES_CORPUS}), when this machine has them; they are measuring data and never copied
   * into the project.
   */
  private static final java.nio.file.Path CORPUS = corpus();

  private static HttpServer pages;

  @BeforeAll
  static void start() throws IOException {
    pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pages.createContext(
        "/",
        ex -> {
          try (ex) {
            String name = ex.getRequestURI().getPath().substring(1);
            byte[] body = fixture(name);
            if (body == null) {
              ex.sendResponseHeaders(404, -1);
              return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
        });
    pages.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    pages.start();
  }

  @AfterAll
  static void stop() {
    if (pages != null) {
      pages.stop(0);
    }
  }

  private static byte[] fixture(String name) throws IOException {
    if (name.startsWith("corpus/") && CORPUS != null) {
      // why: names come from the corpus listing only; anything else is refused
      java.nio.file.Path page = CORPUS.resolve(name.substring("corpus/".length())).normalize();
      return page.startsWith(CORPUS) && java.nio.file.Files.isRegularFile(page)
          ? java.nio.file.Files.readAllBytes(page)
          : null;
    }
    if (!name.matches("[a-z]+\\.html")) {
      return null;
    }
    try (InputStream in = ExtractionSystemTest.class.getResourceAsStream("/extraction/" + name)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static String url(String name) {
    return "http://127.0.0.1:" + pages.getAddress().getPort() + "/" + name;
  }

  private static UUID submitUrl(String url, String prefer) {
    KilnApi.Response accepted =
        CLUSTER
            .api()
            .post(
                "/api/v1/jobs",
                "{\"type\":\"extraction\",\"params\":{\"prefer\":\""
                    + prefer
                    + "\"},\"inputs\":[{\"url\":\""
                    + url
                    + "\"}]}");
    assertThat(accepted.status()).as("submit: %s", accepted).isEqualTo(202);
    return UUID.fromString(accepted.json().path("id").asText());
  }

  @Test
  void recipeUrlBecomesRecipeJsonArticleAndSourceWithLiveStages() throws Exception {
    UUID id = submitUrl(url("sourdough.html"), "auto");

    List<Event> events;
    try (SseClient stream = CLUSTER.api().jobEvents(id, null)) {
      events = Event.of(stream.untilEnd(JOB_END));
    }

    assertThat(events.getLast().type()).as("events %s", events).isEqualTo("job.succeeded");
    assertThat(
            events.stream()
                .filter(e -> e.type().equals("stage.completed"))
                .map(e -> e.payload().path("stage").asText()))
        .containsExactly("fetch", "extraction", "parsing", "upload");
    JsonNode recipe = KilnJson.mapper().readTree(CLUSTER.api().download(id, "recipe.json"));
    assertThat(recipe.path("method").asText()).isEqualTo("json-ld");
    assertThat(recipe.path("title").asText()).isEqualTo("Weekend sourdough");
    assertThat(recipe.at("/times/totalMinutes").asInt()).isEqualTo(75);
    assertThat(recipe.at("/yields/servings").asInt()).isEqualTo(1);
    assertThat(recipe.path("ingredients")).hasSize(4);
    assertThat(recipe.at("/ingredients/0/amount/min").asDouble()).isEqualTo(500);
    assertThat(recipe.at("/ingredients/0/unit").asText()).isEqualTo("gram");
    assertThat(recipe.path("instructions")).hasSize(3);
    assertThat(recipe.at("/instructions/2/text").asText()).contains("250 °C");
    assertThat(recipe.at("/instructions/2/section").asText()).isEqualTo("Bake");
    String source = new String(CLUSTER.api().download(id, "source.html"), StandardCharsets.UTF_8);
    assertThat(source).isEqualTo(new String(fixture("sourdough.html"), StandardCharsets.UTF_8));
    JsonNode metadata = KilnJson.mapper().readTree(CLUSTER.api().download(id, "metadata.json"));
    assertThat(metadata.path("method").asText()).isEqualTo("json-ld");
    assertThat(metadata.at("/stageMillis/extraction").isNumber()).isTrue();
  }

  @Test
  void essayBecomesMarkdownWithFrontMatterAndNoRecipe() throws Exception {
    UUID id = submitUrl(url("essay.html"), "auto");

    JsonNode job = CLUSTER.api().awaitStatus(id, "succeeded", JOB_END);

    assertThat(job.path("artifacts").findValuesAsText("name"))
        .contains("article.md", "metadata.json", "source.html")
        .doesNotContain("recipe.json");
    String markdown = new String(CLUSTER.api().download(id, "article.md"), StandardCharsets.UTF_8);
    assertThat(markdown).startsWith("---\n").contains("title: \"Why dough needs rest\"");
    assertThat(markdown).contains("autolyse").doesNotContain("Privacy").doesNotContain("Archive");
  }

  @Test
  void aPageThatIsNotThereFailsWithItsStatusWithoutRetrying() {
    UUID id = submitUrl(url("missing.html"), "auto");

    JsonNode job = CLUSTER.api().awaitStatus(id, "failed", JOB_END);

    assertThat(job.at("/error/code").asText()).isEqualTo("FETCH_HTTP_STATUS");
    assertThat(job.at("/error/message").asText()).contains("404");
    assertThat(job.at("/error/retryable").asBoolean()).isFalse();
    assertThat(job.path("attempt").asInt()).isEqualTo(1);
  }

  @Test
  void hundredJobsSubmittedAtOnceAcrossTwoWorkersAllSucceed() {
    StringBuilder jobs = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      jobs.append(i == 0 ? "" : ",")
          .append("{\"type\":\"extraction\",\"inputs\":[{\"url\":\"")
          .append(url(i % 2 == 0 ? "sourdough.html" : "essay.html"))
          .append("\"}]}");
    }
    KilnApi.Response accepted = CLUSTER.api().post("/api/v1/batches", "{\"jobs\":[" + jobs + "]}");
    assertThat(accepted.status()).as("batch: %s", accepted).isEqualTo(202);
    UUID batch = UUID.fromString(accepted.json().path("id").asText());

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        CLUSTER
                            .api()
                            .get("/api/v1/batches/" + batch)
                            .json()
                            .path("finished")
                            .asBoolean())
                    .isTrue());
    JsonNode counts = CLUSTER.api().get("/api/v1/batches/" + batch).json().path("counts");
    assertThat(counts.path("succeeded").asInt()).as("counts %s", counts).isEqualTo(100);
  }

  /**
   * The accuracy check of the issue: every corpus page served from 127.0.0.1, extracted by real
   * jobs through gateway, broker, workers and object store, scored field by field.
   */
  @Test
  void corpusPagesScoreNinetyFivePercentOrMoreOnEveryCountedField() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        CORPUS != null, "no recipe corpus next to the repository (../shared/recipes)");
    List<java.nio.file.Path> expectedFiles;
    try (var files = java.nio.file.Files.walk(CORPUS)) {
      expectedFiles =
          files
              .filter(f -> f.getFileName().toString().endsWith(".expected.json"))
              .sorted()
              .toList();
    }
    assertThat(expectedFiles).isNotEmpty();
    StringBuilder jobs = new StringBuilder();
    for (java.nio.file.Path f : expectedFiles) {
      String page =
          CORPUS.relativize(f).toString().replace('\\', '/').replace(".expected.json", ".html");
      jobs.append(jobs.isEmpty() ? "" : ",")
          .append("{\"type\":\"extraction\",\"inputs\":[{\"url\":\"")
          .append(url("corpus/" + page))
          .append("\"}]}");
    }
    KilnApi.Response accepted = CLUSTER.api().post("/api/v1/batches", "{\"jobs\":[" + jobs + "]}");
    assertThat(accepted.status()).as("batch: %s", accepted).isEqualTo(202);
    UUID batch = UUID.fromString(accepted.json().path("id").asText());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                CLUSTER.api().get("/api/v1/batches/" + batch).json().path("finished").asBoolean());

    java.util.Map<String, int[]> scores = new java.util.LinkedHashMap<>();
    RecipeScoring.FIELDS.forEach(field -> scores.put(field, new int[2]));
    List<String> misses = new java.util.ArrayList<>();
    for (int i = 0; i < expectedFiles.size(); i++) {
      JsonNode expected = KilnJson.mapper().readTree(expectedFiles.get(i).toFile());
      UUID id = UUID.fromString(accepted.json().path("jobIds").get(i).asText());
      JsonNode job = CLUSTER.api().job(id);
      dev.kiln.model.extraction.RecipeDocument recipe = null;
      if (job.path("status").asText().equals("succeeded")
          && job.path("artifacts").findValuesAsText("name").contains("recipe.json")) {
        recipe =
            KilnJson.mapper()
                .readValue(
                    CLUSTER.api().download(id, "recipe.json"),
                    dev.kiln.model.extraction.RecipeDocument.class);
      }
      for (RecipeScoring.FieldResult r : RecipeScoring.score(recipe, expected)) {
        if (r.counted()) {
          scores.get(r.field())[1]++;
          if (r.matched()) {
            scores.get(r.field())[0]++;
          } else {
            misses.add(CORPUS.relativize(expectedFiles.get(i)) + " " + r.field());
          }
        }
      }
    }
    StringBuilder report = new StringBuilder("extraction corpus, through the whole system:\n");
    scores.forEach(
        (field, s) ->
            report.append(
                String.format(
                    java.util.Locale.ROOT,
                    "  %-18s %3d/%3d  %5.1f%%%n",
                    field,
                    s[0],
                    s[1],
                    100.0 * s[0] / s[1])));
    report.append("  misses: ").append(misses);
    System.out.println(report);
    scores.forEach(
        (field, s) ->
            assertThat(100.0 * s[0] / s[1]).as(report.toString()).isGreaterThanOrEqualTo(95.0));
  }

  private static java.nio.file.Path corpus() {
    String configured = System.getenv("KILN_RECIPES_CORPUS");
    java.nio.file.Path root = java.nio.file.Path.of("").toAbsolutePath();
    // why: tests run in system-tests/, so the repository is its parent and ../shared its sibling
    java.nio.file.Path candidate =
        configured != null && !configured.isBlank()
            ? java.nio.file.Path.of(configured)
            : root.getParent().resolveSibling("shared").resolve("recipes");
    return java.nio.file.Files.isDirectory(candidate)
        ? candidate.toAbsolutePath().normalize()
        : null;
  }
}
