package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
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

/**
 * Extraction jobs as a recipe app submits them: a URL served on 127.0.0.1 (the only network tests
 * may reach, allowed explicitly), fetched by a worker process through the SSRF guard.
 */
@ExtendWith(ProcessLogsOnFailure.class)
class ExtractionSystemTest {

  private static final Duration JOB_END = Duration.ofSeconds(60);
  private static KilnCluster cluster;
  private static KilnApi api;
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
    cluster =
        KilnCluster.builder(ExtractionSystemTest.class.getSimpleName())
            .gateways(1)
            .workers(2)
            // why: tests may reach loopback only, and the guard refuses it unless told otherwise
            .env("KILN_FETCH_ALLOW_CIDRS", "127.0.0.1/32")
            .start();
    api = cluster.api(0);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (pages != null) {
      pages.stop(0);
    }
  }

  private static byte[] fixture(String name) throws IOException {
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
        api.post(
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
    try (SseClient stream = api.jobEvents(id, null)) {
      events = Event.of(stream.untilEnd(JOB_END));
    }

    assertThat(events.getLast().type()).as("events %s", events).isEqualTo("job.succeeded");
    assertThat(
            events.stream()
                .filter(e -> e.type().equals("stage.completed"))
                .map(e -> e.payload().path("stage").asText()))
        .containsExactly("fetch", "extraction", "parsing", "upload");
    JsonNode recipe = KilnJson.mapper().readTree(api.download(id, "recipe.json"));
    assertThat(recipe.path("method").asText()).isEqualTo("json-ld");
    assertThat(recipe.path("title").asText()).isEqualTo("Weekend sourdough");
    assertThat(recipe.at("/times/totalMinutes").asInt()).isEqualTo(75);
    assertThat(recipe.at("/yields/servings").asInt()).isEqualTo(1);
    assertThat(recipe.path("ingredients")).hasSize(4);
    assertThat(recipe.at("/ingredients/0/amount/min").asDouble()).isEqualTo(500);
    assertThat(recipe.at("/ingredients/0/unit").asText()).isEqualTo("g");
    assertThat(recipe.path("instructions")).hasSize(3);
    assertThat(recipe.at("/instructions/2/text").asText()).contains("250 °C");
    assertThat(recipe.at("/instructions/2/section").asText()).isEqualTo("Bake");
    String source = new String(api.download(id, "source.html"), StandardCharsets.UTF_8);
    assertThat(source).isEqualTo(new String(fixture("sourdough.html"), StandardCharsets.UTF_8));
    JsonNode metadata = KilnJson.mapper().readTree(api.download(id, "metadata.json"));
    assertThat(metadata.path("method").asText()).isEqualTo("json-ld");
    assertThat(metadata.at("/stageMillis/extraction").isNumber()).isTrue();
  }

  @Test
  void essayBecomesMarkdownWithFrontMatterAndNoRecipe() throws Exception {
    UUID id = submitUrl(url("essay.html"), "auto");

    JsonNode job = api.awaitStatus(id, "succeeded", JOB_END);

    assertThat(job.path("artifacts").findValuesAsText("name"))
        .contains("article.md", "metadata.json", "source.html")
        .doesNotContain("recipe.json");
    String markdown = new String(api.download(id, "article.md"), StandardCharsets.UTF_8);
    assertThat(markdown).startsWith("---\n").contains("title: \"Why dough needs rest\"");
    assertThat(markdown).contains("autolyse").doesNotContain("Privacy").doesNotContain("Archive");
  }

  @Test
  void aPageThatIsNotThereFailsWithItsStatusWithoutRetrying() {
    UUID id = submitUrl(url("missing.html"), "auto");

    JsonNode job = api.awaitStatus(id, "failed", JOB_END);

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
    KilnApi.Response accepted = api.post("/api/v1/batches", "{\"jobs\":[" + jobs + "]}");
    assertThat(accepted.status()).as("batch: %s", accepted).isEqualTo(202);
    UUID batch = UUID.fromString(accepted.json().path("id").asText());

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(api.get("/api/v1/batches/" + batch).json().path("finished").asBoolean())
                    .isTrue());
    JsonNode counts = api.get("/api/v1/batches/" + batch).json().path("counts");
    assertThat(counts.path("succeeded").asInt()).as("counts %s", counts).isEqualTo(100);
  }
}
