package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.rabbitmq.client.GetResponse;
import dev.kiln.gateway.Api;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.messages.JobMessage;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SubmitJobTest {

  private static LocalBroker broker;

  @Inject MinioClient minio;
  @Inject dev.kiln.gateway.storage.StorageConfig storage;

  @BeforeAll
  static void connect() {
    broker = LocalBroker.connect();
  }

  @AfterAll
  static void disconnect() {
    broker.close();
  }

  @Test
  void submittedJobIsStoredAndPublishedPersistentlyWithDefaultsFilledIn() throws Exception {
    String tap = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    String location =
        given()
            .contentType(ContentType.JSON)
            .body("{\"type\":\"synthetic\",\"params\":{\"stages\":2}}")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .body("status", equalTo("queued"))
            .body("type", equalTo("synthetic"))
            .extract()
            .header("Location");
    UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    JsonPath job = Api.job(id);
    assertThat(job.getString("links.events")).isEqualTo("/api/v1/jobs/" + id + "/events");
    assertThat(job.getInt("params.stageMillis")).isEqualTo(500);
    assertThat(job.getInt("attempt")).isEqualTo(1);

    JobMessage message = awaitMessage(tap, id);
    assertThat(message.type()).isEqualTo("synthetic");
    assertThat(message.attempt()).isEqualTo(1);
    assertThat(message.params().get("stages").intValue()).isEqualTo(2);
    assertThat(message.params().get("artifactBytes").intValue()).isEqualTo(1024);
  }

  @Test
  void jobMessagesAreSentPersistent() throws Exception {
    String tap = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID id = Api.submit("{}");
    GetResponse response = awaitDelivery(tap, id);
    assertThat(response.getProps().getDeliveryMode()).isEqualTo(2);
    assertThat(response.getProps().getMessageId()).isNotBlank();
  }

  @Test
  void uploadedFilesAreStreamedToTheStoreWithTheirChecksum(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("scan 01.bin");
    byte[] bytes = new byte[300_000];
    new java.util.Random(7).nextBytes(bytes);
    Files.write(file, bytes);
    String id =
        given()
            .multiPart(
                "job", "{\"type\":\"synthetic\",\"params\":{\"stages\":1}}", "application/json")
            .multiPart("file", file.toFile(), "application/octet-stream")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    JsonPath job = Api.job(UUID.fromString(id));
    String key = job.getString("inputs[0].objectKey");
    assertThat(key).isEqualTo("inputs/" + id + "/scan_01.bin");
    assertThat(job.getLong("inputs[0].size")).isEqualTo(bytes.length);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(job.getString("inputs[0].sha256")).isEqualTo(expected);
    try (InputStream in =
        minio.getObject(GetObjectArgs.builder().bucket(storage.bucket()).object(key).build())) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void aBatchIsStoredTogetherAndCountedByStatus() {
    JsonPath accepted =
        given()
            .contentType(ContentType.JSON)
            .body(
                "{\"jobs\":[{\"type\":\"synthetic\"},{\"type\":\"synthetic\",\"params\":{\"stages\":1}},"
                    + "{\"type\":\"synthetic\",\"params\":{\"stages\":0}}]}")
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract()
            .jsonPath();
    String batchId = accepted.getString("id");
    List<String> jobIds = accepted.getList("jobIds");
    assertThat(jobIds).hasSize(3);
    for (String jobId : jobIds) {
      assertThat(Api.job(UUID.fromString(jobId)).getString("batchId")).isEqualTo(batchId);
    }
    given()
        .get("/api/v1/batches/" + batchId)
        .then()
        .statusCode(200)
        .body("jobCount", equalTo(3))
        .body("counts.queued", equalTo(3))
        .body("finished", equalTo(false));
  }

  @Test
  void aBatchWithOneInvalidJobStoresNothing() {
    long before = Job.count();
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"jobs\":[{\"type\":\"synthetic\"},{\"type\":\"synthetic\",\"params\":{\"stages\":-1}}]}")
        .post("/api/v1/batches")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", hasItem("jobs[1].params.stages"));
    assertThat(Job.count()).isEqualTo(before);
  }

  @Test
  void multipartBatchMakesOneJobPerFile(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "first");
    Path b = Files.writeString(dir.resolve("b.txt"), "second");
    JsonPath accepted =
        given()
            .multiPart(
                "job", "{\"type\":\"synthetic\",\"params\":{\"stages\":1}}", "application/json")
            .multiPart("files", a.toFile(), "text/plain")
            .multiPart("files", b.toFile(), "text/plain")
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract()
            .jsonPath();
    List<String> jobIds = accepted.getList("jobIds");
    assertThat(jobIds).hasSize(2);
    assertThat(jobIds.stream().map(id -> Api.job(UUID.fromString(id)).getString("inputs[0].name")))
        .containsExactlyInAnyOrder("a.txt", "b.txt");
  }

  @Test
  void listingIsNewestFirstAndCursorPagesNeverRepeatOrSkip() {
    List<UUID> mine = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(Api.submit("{\"stages\":0}"));
    }
    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    boolean more = true;
    while (more) {
      var request = given().queryParam("limit", 2).queryParam("type", "synthetic");
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page = request.get("/api/v1/jobs").then().statusCode(200).extract().jsonPath();
      seen.addAll(page.getList("items.id"));
      more = page.getBoolean("hasMore");
      cursor = page.getString("nextCursor");
      assertThat(page.getList("items")).hasSizeLessThanOrEqualTo(2);
    }
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen.subList(0, 5))
        .containsExactlyElementsOf(mine.reversed().stream().map(UUID::toString).toList());
    assertThat((long) seen.size()).isEqualTo(Job.count("type", "synthetic"));
  }

  @Test
  void jobTypesDescribeStagesAndDefaults() {
    given()
        .get("/api/v1/job-types")
        .then()
        .statusCode(200)
        .body("items.name", hasItem("synthetic"))
        .body("items.find { it.name == 'synthetic' }.params.stages.default", equalTo(3))
        .body("items.find { it.name == 'synthetic' }.stages[0]", equalTo("stage-1"));
  }

  @Test
  void statsCountJobsAndReadQueueDepths() {
    Api.submit("{}");
    given()
        .get("/api/v1/stats")
        .then()
        .statusCode(200)
        .body("queues.'kiln.jobs.synthetic'", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
        .body("jobs.synthetic.queued", org.hamcrest.Matchers.greaterThan(0));
  }

  @Test
  void openApiDocumentDescribesTheJobsEndpoint() {
    given()
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("/api/v1/jobs"));
  }

  @Test
  void openApiDocumentDescribesTheRecipeArtifactFormat() {
    io.restassured.path.json.JsonPath doc =
        given()
            .accept("application/json")
            .get("/q/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    java.util.Map<String, Object> recipe = doc.getMap("components.schemas.RecipeDocument");
    assertThat(recipe).as("RecipeDocument schema").isNotNull();
    assertThat(doc.getMap("components.schemas.RecipeDocument.properties"))
        .containsKeys("v", "title", "ingredients", "instructions", "times", "yields");
  }

  private static GetResponse awaitDelivery(String tap, UUID id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse r = broker.next(tap, Duration.ofSeconds(1));
      if (r != null && broker.read(r, JobMessage.class).jobId().equals(id)) {
        return r;
      }
    }
    throw new AssertionError("no job message for " + id);
  }

  private static JobMessage awaitMessage(String tap, UUID id) throws Exception {
    return broker.read(awaitDelivery(tap, id), JobMessage.class);
  }
}
