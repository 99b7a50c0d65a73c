package dev.kiln.gateway.auth;

import static dev.kiln.gateway.Api.as;
import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tenant's cap on unfinished jobs, and the audit log of who changed what. */
@QuarkusTest
class QuotaAndAuditTest {

  private static final String JOB = TestKeys.JOB;

  @Test
  void aTenantAtItsCapGets429AndNothingIsStored() {
    String tenant = TestKeys.newTenant("capped");
    given()
        .contentType(ContentType.JSON)
        .body("{\"maxActiveJobs\":2}")
        .put("/api/v1/admin/tenants/" + tenant)
        .then()
        .statusCode(200)
        .body("maxActiveJobs", equalTo(2));
    TestKeys.Key key = TestKeys.create(tenant, "submitter");
    TestKeys.trySubmit(key).then().statusCode(202);
    as(key.token())
        .contentType(ContentType.JSON)
        .body("{\"jobs\":[" + JOB + "," + JOB + "]}")
        .post("/api/v1/batches")
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .body("code", equalTo("QUOTA_EXCEEDED"))
        .body("limit", equalTo(2))
        .body("active", equalTo(1));
    String second = TestKeys.trySubmit(key).then().statusCode(202).extract().path("id");
    TestKeys.trySubmit(key).then().statusCode(429).body("code", equalTo("QUOTA_EXCEEDED"));
    assertThat(as(key.token()).get("/api/v1/jobs").jsonPath().getList("items")).hasSize(2);
    // a finished job frees its place
    as(key.token()).post("/api/v1/jobs/" + second + "/cancel").then().statusCode(202);
    TestKeys.trySubmit(key).then().statusCode(202);
  }

  @Test
  void concurrentSubmissionsNeverPassTheCap() throws Exception {
    String tenant = TestKeys.newTenant("racing");
    given()
        .contentType(ContentType.JSON)
        .body("{\"maxActiveJobs\":5}")
        .put("/api/v1/admin/tenants/" + tenant)
        .then()
        .statusCode(200);
    List<TestKeys.Key> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      keys.add(TestKeys.create(tenant, "submitter"));
    }
    List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(20)) {
      for (int i = 0; i < 20; i++) {
        TestKeys.Key key = keys.get(i % keys.size());
        answers.add(pool.submit(() -> TestKeys.trySubmit(key).statusCode()));
      }
    }
    List<Integer> statuses = new java.util.ArrayList<>();
    for (var answer : answers) {
      statuses.add(answer.get());
    }
    assertThat(statuses).containsOnly(202, 429);
    assertThat(statuses.stream().filter(s -> s == 202)).hasSize(5);
    assertThat(as(keys.get(0).token()).get("/api/v1/jobs?limit=100").jsonPath().getList("items"))
        .hasSize(5);
  }

  @Test
  void aTenantsOwnSubmitLimitsApplyToEachOfItsKeys() {
    String tenant = TestKeys.newTenant("slow");
    given()
        .contentType(ContentType.JSON)
        .body("{\"submitBurst\":2,\"submitsPerSecond\":0.01}")
        .put("/api/v1/admin/tenants/" + tenant)
        .then()
        .statusCode(200)
        .body("submitBurst", equalTo(2));
    TestKeys.Key first = TestKeys.create(tenant, "submitter");
    TestKeys.Key second = TestKeys.create(tenant, "submitter");
    for (int i = 0; i < 2; i++) {
      TestKeys.trySubmit(first).then().statusCode(202);
    }
    TestKeys.trySubmit(first)
        .then()
        .statusCode(429)
        .body("code", equalTo("RATE_LIMITED"))
        .header("RateLimit-Limit", "2");
    TestKeys.trySubmit(second).then().statusCode(202);
  }

  @Test
  void keyChangesCancellationsAndRetriesAreAuditedWithWhoWhatAndWhen() {
    String tenant = TestKeys.newTenant("audited");
    TestKeys.Key key = TestKeys.create(tenant, "submitter");
    String id = TestKeys.trySubmit(key).then().statusCode(202).extract().path("id");
    as(key.token()).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
    as(key.token()).post("/api/v1/jobs/" + id + "/retry").then().statusCode(202);
    given().delete("/api/v1/admin/keys/" + key.id()).then().statusCode(204);

    JsonPath log = given().get("/api/v1/admin/audit?tenant=" + tenant).jsonPath();
    List<String> actions = log.getList("items.action");
    assertThat(actions)
        .containsExactly(
            "key.revoked", "job.retried", "job.cancelled", "key.created", "tenant.created");
    String prefix = key.token().substring(0, 13);
    assertThat(log.getString("items[1].actor")).isEqualTo(prefix);
    assertThat(log.getString("items[1].target")).isEqualTo(id);
    assertThat(log.getString("items[2].actorTenant")).isEqualTo(tenant);
    assertThat(log.getString("items[0].actor")).startsWith("kiln_test-ad");
    assertThat(log.getString("items[0].at")).isNotBlank();
    assertThat(log.prettify()).doesNotContain(key.token());
    assertThat(
            given()
                .get("/api/v1/admin/audit?action=job.retried&tenant=" + tenant)
                .jsonPath()
                .getList("items"))
        .hasSize(1);
  }
}
