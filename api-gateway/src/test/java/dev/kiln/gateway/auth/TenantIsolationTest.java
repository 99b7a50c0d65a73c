package dev.kiln.gateway.auth;

import static dev.kiln.gateway.Api.as;
import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kiln.model.fixtures.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tenant never sees another tenant's jobs: their ids are 404, and lists and streams skip them.
 */
@QuarkusTest
class TenantIsolationTest {

  private static final String JOB = TestKeys.JOB;

  @TestHTTPResource("/api/v1")
  URL api;

  private static String submit(TestKeys.Key key, String idempotencyKey) {
    var request = as(key.token()).contentType(ContentType.JSON).body(JOB);
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return request.post("/api/v1/jobs").then().statusCode(202).extract().path("id");
  }

  @Test
  void anotherTenantsJobIs404EverywhereAndNeverListed() throws Exception {
    TestKeys.Key alice = TestKeys.create(TestKeys.newTenant("alice"), "submitter");
    TestKeys.Key bob = TestKeys.create(TestKeys.newTenant("bob"), "submitter");
    String id = submit(alice, null);
    for (String path :
        List.of(
            "/api/v1/jobs/" + id,
            "/api/v1/jobs/" + id + "/artifacts",
            "/api/v1/jobs/" + id + "/artifacts/result.bin",
            "/api/v1/jobs/" + id + "/webhooks")) {
      as(bob.token())
          .get(path)
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body("code", equalTo("JOB_NOT_FOUND"));
    }
    as(bob.token()).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(404);
    as(bob.token()).post("/api/v1/jobs/" + id + "/retry").then().statusCode(404);
    as(bob.token()).post("/api/v1/jobs/" + id + "/stream-token").then().statusCode(404);
    try (SseClient sse = SseClient.open(api + "/jobs/" + id + "/events", null, bob.token())) {
      assertThat(sse.status()).isEqualTo(404);
    }
    assertThat(as(bob.token()).get("/api/v1/jobs?limit=100").jsonPath().getList("items.id"))
        .doesNotContain(id);
    assertThat(as(alice.token()).get("/api/v1/jobs?limit=100").jsonPath().getList("items.id"))
        .containsExactly(id);
    as(bob.token())
        .get("/api/v1/jobs?tenant=" + alice.tenant())
        .then()
        .statusCode(403)
        .body("code", equalTo("INSUFFICIENT_ROLE"));
    // the job still runs for its owner, and admins see every tenant
    as(alice.token()).get("/api/v1/jobs/" + id).then().statusCode(200);
    assertThat(given().get("/api/v1/jobs?tenant=" + alice.tenant()).jsonPath().getList("items.id"))
        .containsExactly(id);
  }

  @Test
  void anotherTenantsBatchIs404() {
    TestKeys.Key alice = TestKeys.create(TestKeys.newTenant("alice"), "submitter");
    TestKeys.Key bob = TestKeys.create(TestKeys.newTenant("bob"), "viewer");
    String batch =
        as(alice.token())
            .contentType(ContentType.JSON)
            .body("{\"jobs\":[" + JOB + "," + JOB + "]}")
            .post("/api/v1/batches")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    as(alice.token()).get("/api/v1/batches/" + batch).then().statusCode(200);
    as(bob.token())
        .get("/api/v1/batches/" + batch)
        .then()
        .statusCode(404)
        .body("code", equalTo("BATCH_NOT_FOUND"));
    as(bob.token()).get("/api/v1/batches/" + batch + "/events").then().statusCode(404);
  }

  @Test
  void theAllJobsStreamShowsOnlyTheCallersTenant() throws Exception {
    TestKeys.Key alice = TestKeys.create(TestKeys.newTenant("alice"), "submitter");
    TestKeys.Key bob = TestKeys.create(TestKeys.newTenant("bob"), "submitter");
    String alicesJob = submit(alice, null);
    String bobsJob = submit(bob, null);
    try (SseClient aliceStream = SseClient.open(api + "/events", "0", alice.token());
        SseClient bobStream = SseClient.open(api + "/events", "0", bob.token())) {
      as(alice.token()).post("/api/v1/jobs/" + alicesJob + "/cancel").then().statusCode(202);
      as(bob.token()).post("/api/v1/jobs/" + bobsJob + "/cancel").then().statusCode(202);
      List<SseClient.Frame> seenByAlice = aliceStream.take(2, Duration.ofSeconds(10));
      List<SseClient.Frame> seenByBob = bobStream.take(2, Duration.ofSeconds(10));
      assertThat(seenByAlice).allMatch(f -> f.data().contains(alicesJob));
      assertThat(seenByBob).allMatch(f -> f.data().contains(bobsJob));
      assertThat(seenByAlice).noneMatch(f -> f.data().contains(bobsJob));
    }
  }

  @Test
  void idempotencyKeysOfDifferentTenantsNeverCollide() {
    TestKeys.Key alice = TestKeys.create(TestKeys.newTenant("alice"), "submitter");
    TestKeys.Key bob = TestKeys.create(TestKeys.newTenant("bob"), "submitter");
    String a = submit(alice, "same-key-1");
    String b = submit(bob, "same-key-1");
    assertThat(b).isNotEqualTo(a);
    assertThat(submit(alice, "same-key-1")).isEqualTo(a);
  }

  @Test
  void aJobCannotTakeAnotherTenantsObjectsAsInput() {
    TestKeys.Key alice = TestKeys.create(TestKeys.newTenant("alice"), "submitter");
    TestKeys.Key bob = TestKeys.create(TestKeys.newTenant("bob"), "submitter");
    String id =
        as(alice.token())
            .multiPart("job", "{\"type\":\"synthetic\",\"params\":{\"stages\":1}}")
            .multiPart("file", "secret.txt", "alice's data".getBytes(), "text/plain")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    String body =
        "{\"type\":\"synthetic\",\"params\":{\"stages\":1},\"inputs\":[{\"object\":\"inputs/"
            + id
            + "/secret.txt\"}]}";
    as(bob.token())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("inputs[0].object"))
        .body("errors[0].code", equalTo("INPUT_NOT_FOUND"));
    as(alice.token())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/jobs")
        .then()
        .statusCode(202);
  }
}
