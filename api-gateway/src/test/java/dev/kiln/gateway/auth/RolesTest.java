package dev.kiln.gateway.auth;

import static dev.kiln.gateway.Api.as;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** viewer < submitter < admin, each refused what the next may do, with 403. */
@QuarkusTest
class RolesTest {

  @Test
  void aViewerReadsButCannotSubmitCancelOrRetry() {
    String tenant = TestKeys.newTenant("roles");
    TestKeys.Key viewer = TestKeys.create(tenant, "viewer");
    TestKeys.Key submitter = TestKeys.create(tenant, "submitter");
    String id = TestKeys.trySubmit(submitter).then().statusCode(202).extract().path("id");
    as(viewer.token()).get("/api/v1/jobs/" + id).then().statusCode(200);
    as(viewer.token()).get("/api/v1/job-types").then().statusCode(200);
    TestKeys.trySubmit(viewer)
        .then()
        .statusCode(403)
        .contentType("application/problem+json")
        .body("code", equalTo("INSUFFICIENT_ROLE"));
    as(viewer.token()).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(403);
    as(viewer.token()).post("/api/v1/jobs/" + id + "/retry").then().statusCode(403);
    as(submitter.token()).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
  }

  @Test
  void onlyAdminsManageKeysTenantsDeadLettersAndStats() {
    String tenant = TestKeys.newTenant("roles");
    TestKeys.Key submitter = TestKeys.create(tenant, "submitter");
    for (String path :
        new String[] {
          "/api/v1/admin/keys",
          "/api/v1/admin/tenants",
          "/api/v1/admin/audit",
          "/api/v1/dead-letters",
          "/api/v1/stats"
        }) {
      as(submitter.token())
          .get(path)
          .then()
          .statusCode(403)
          .body("code", equalTo("INSUFFICIENT_ROLE"));
    }
    as(submitter.token())
        .contentType(ContentType.JSON)
        .body("{\"tenant\":\"" + tenant + "\",\"role\":\"admin\",\"name\":\"escalate\"}")
        .post("/api/v1/admin/keys")
        .then()
        .statusCode(403);
    as(submitter.token())
        .post("/api/v1/dead-letters/" + UUID.randomUUID() + "/requeue")
        .then()
        .statusCode(403);
    TestKeys.Key admin = TestKeys.create(tenant, "admin");
    as(admin.token()).get("/api/v1/stats").then().statusCode(200);
    as(admin.token()).get("/api/v1/dead-letters").then().statusCode(200);
  }
}
