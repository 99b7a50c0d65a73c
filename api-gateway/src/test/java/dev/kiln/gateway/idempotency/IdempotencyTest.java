package dev.kiln.gateway.idempotency;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kiln.gateway.jobs.Job;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotency-Key on submissions, through the real API and database. */
@QuarkusTest
class IdempotencyTest {

  /** Keys are stored per tenant; the test admin belongs to tenant "default". */
  private static final String TENANT_SCOPE = "default:";

  @Inject AgroalDataSource db;
  @Inject IdempotencyKeys keys;

  private static String key() {
    return "key-" + UUID.randomUUID();
  }

  private static ExtractableResponse<Response> postJob(String key, String body) {
    return given()
        .contentType(ContentType.JSON)
        .header(IdempotencyKeys.HEADER, key)
        .body(body)
        .post("/api/v1/jobs")
        .then()
        .extract();
  }

  private long jobsWithStageMillis(int millis) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(*) from jobs where (params->>'stageMillis')::int = ?")) {
      ps.setInt(1, millis);
      var rs = ps.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theSameKeyAndRequestAnswerWithTheOriginalResponse() {
    String key = key();
    String body = "{\"type\":\"synthetic\",\"params\":{\"stages\":1,\"stageMillis\":10}}";
    var first = postJob(key, body);
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.header(IdempotencyKeys.REPLAYED)).isNull();
    // the same request, spelled differently: other key order and spacing
    var again =
        postJob(
            key, "{ \"params\": {\"stageMillis\": 10, \"stages\": 1}, \"type\": \"synthetic\" }");
    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.header(IdempotencyKeys.REPLAYED)).isEqualTo("true");
    assertThat(again.header("Location")).isEqualTo(first.header("Location"));
    assertThat(again.contentType()).startsWith("application/json");
    assertThat(again.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
    assertThat(again.jsonPath().getString("createdAt"))
        .isEqualTo(first.jsonPath().getString("createdAt"));
    assertThat(again.jsonPath().getString("status")).isEqualTo("queued");
  }

  @Test
  void theSameKeyWithAnotherRequestIs422() {
    String key = key();
    postJob(key, "{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    long before = Job.count();
    given()
        .contentType(ContentType.JSON)
        .header(IdempotencyKeys.HEADER, key)
        .body("{\"type\":\"synthetic\",\"params\":{\"stages\":2}}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(422)
        .contentType("application/problem+json")
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"))
        .body("type", equalTo("urn:kiln:problem:idempotency-key-reused"));
    // the same key on another endpoint is another request too
    given()
        .contentType(ContentType.JSON)
        .header(IdempotencyKeys.HEADER, key)
        .body("{\"jobs\":[{\"type\":\"synthetic\",\"params\":{\"stages\":1}}]}")
        .post("/api/v1/batches")
        .then()
        .statusCode(422)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    assertThat(Job.count()).isEqualTo(before);
  }

  @Test
  void keysLongerThan255CharactersAre400() {
    given()
        .contentType(ContentType.JSON)
        .header(IdempotencyKeys.HEADER, "k".repeat(256))
        .body("{\"type\":\"synthetic\"}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("VALIDATION_FAILED"))
        .body("errors[0].field", equalTo("Idempotency-Key"));
    assertThat(postJob("k".repeat(255), "{\"type\":\"synthetic\"}").statusCode()).isEqualTo(202);
  }

  @Test
  void aRefusedRequestTakesNoKey() {
    String key = key();
    assertThat(postJob(key, "{\"type\":\"synthetic\",\"params\":{\"stages\":-1}}").statusCode())
        .isEqualTo(400);
    assertThat(postJob(key, "{\"type\":\"synthetic\",\"params\":{\"stages\":1}}").statusCode())
        .isEqualTo(202);
  }

  @Test
  void concurrentDuplicatesCreateOneJob() throws Exception {
    String key = key();
    String body = "{\"type\":\"synthetic\",\"params\":{\"stages\":3,\"stageMillis\":4321}}";
    int clients = 8;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Callable<ExtractableResponse<Response>> call =
          () -> {
            start.await();
            return postJob(key, body);
          };
      answers.add(pool.submit(call));
    }
    start.countDown();
    List<String> ids = new ArrayList<>();
    int replayed = 0;
    for (var answer : answers) {
      var response = answer.get();
      assertThat(response.statusCode()).isEqualTo(202);
      ids.add(response.jsonPath().getString("id"));
      replayed += "true".equals(response.header(IdempotencyKeys.REPLAYED)) ? 1 : 0;
    }
    pool.shutdown();
    assertThat(ids).containsOnly(ids.get(0));
    assertThat(replayed).isEqualTo(clients - 1);
    assertThat(jobsWithStageMillis(4321)).isEqualTo(1);
  }

  @Test
  void batchesReplayTheirOriginalResponse() {
    String key = key();
    String body = "{\"jobs\":[{\"type\":\"synthetic\"},{\"type\":\"synthetic\"}]}";
    var first =
        given()
            .contentType(ContentType.JSON)
            .header(IdempotencyKeys.HEADER, key)
            .body(body)
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract();
    var again =
        given()
            .contentType(ContentType.JSON)
            .header(IdempotencyKeys.HEADER, key)
            .body(body)
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .header(IdempotencyKeys.REPLAYED, "true")
            .extract();
    assertThat(again.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
    assertThat(again.jsonPath().getList("jobIds")).isEqualTo(first.jsonPath().getList("jobIds"));
  }

  @Test
  void multipartRequestsAreTheSameOnlyWithTheSameFiles(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "first");
    Path b = Files.writeString(dir.resolve("b.txt"), "other");
    String key = key();
    String job = "{\"type\":\"synthetic\",\"params\":{\"stages\":1}}";
    String first =
        given()
            .header(IdempotencyKeys.HEADER, key)
            .multiPart("job", job, "application/json")
            .multiPart("file", a.toFile(), "text/plain")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    given()
        .header(IdempotencyKeys.HEADER, key)
        .multiPart("job", job, "application/json")
        .multiPart("file", a.toFile(), "text/plain")
        .post("/api/v1/jobs")
        .then()
        .statusCode(202)
        .header(IdempotencyKeys.REPLAYED, "true")
        .body("id", equalTo(first));
    // same names, other bytes
    Files.writeString(b, "changed");
    Path renamed = Files.move(b, Files.createDirectories(dir.resolve("x")).resolve("a.txt"));
    given()
        .header(IdempotencyKeys.HEADER, key)
        .multiPart("job", job, "application/json")
        .multiPart("file", renamed.toFile(), "text/plain")
        .post("/api/v1/jobs")
        .then()
        .statusCode(422)
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
  }

  @Test
  void anExpiredKeyIsSweptAndMayBeUsedAgain() throws Exception {
    String key = key();
    String firstId =
        postJob(key, "{\"type\":\"synthetic\",\"params\":{\"stages\":1}}")
            .jsonPath()
            .getString("id");
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update idempotency_keys set created_at = now() - interval '25 hours' where key = ?")) {
      ps.setString(1, TENANT_SCOPE + key);
      ps.executeUpdate();
    }
    // past its time the key no longer answers, even before the sweep ran
    var reused = postJob(key, "{\"type\":\"synthetic\",\"params\":{\"stages\":2}}");
    assertThat(reused.statusCode()).isEqualTo(202);
    assertThat(reused.jsonPath().getString("id")).isNotEqualTo(firstId);
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update idempotency_keys set created_at = now() - interval '25 hours' where key = ?")) {
      ps.setString(1, TENANT_SCOPE + key);
      ps.executeUpdate();
    }
    assertThat(keys.sweep()).isGreaterThanOrEqualTo(1);
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select count(*) from idempotency_keys where key = ?")) {
      ps.setString(1, TENANT_SCOPE + key);
      var rs = ps.executeQuery();
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }
}
