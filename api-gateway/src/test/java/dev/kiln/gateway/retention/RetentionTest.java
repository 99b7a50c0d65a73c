package dev.kiln.gateway.retention;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.Api;
import dev.kiln.gateway.auth.TestKeys;
import dev.kiln.gateway.storage.ObjectStore;
import dev.kiln.gateway.uploads.TestImages;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Finished jobs past their retention disappear from the API, the database and the object store;
 * recent ones, failed ones within their longer retention and a tenant's longer retention stay. Jobs
 * are made through the API and aged by moving their finish time back.
 */
@QuarkusTest
class RetentionTest {

  private static LocalBroker broker;

  @Inject RetentionSweep sweep;
  @Inject ObjectStore store;
  @Inject AgroalDataSource db;

  @BeforeAll
  static void connect() throws Exception {
    broker = LocalBroker.connect();
  }

  @AfterAll
  static void disconnect() throws Exception {
    broker.close();
  }

  private UUID succeededWithObjects() throws Exception {
    UUID id = Api.submit("{\"stages\":0}");
    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(broker, w.started(), w.artifact("out.bin", 3, "ab"), w.succeeded());
    Api.awaitStatus(id, "succeeded");
    put("artifacts/" + id + "/out.bin");
    put("inputs/" + id + "/in.bin");
    return id;
  }

  private void put(String key) throws Exception {
    store.put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3, "application/octet-stream");
  }

  private void age(UUID id, String status, int daysAgo) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update jobs set status = ?, finished_at = now() - make_interval(days => ?)"
                    + " where id = ?")) {
      ps.setString(1, status);
      ps.setInt(2, daysAgo);
      ps.setObject(3, id);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
  }

  private long events(UUID id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("select count(*) from job_events where job_id = ?")) {
      ps.setObject(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static int status(UUID id) {
    return given().get("/api/v1/jobs/" + id).statusCode();
  }

  @Test
  void expiredJobsDisappearWithTheirObjectsWhileRecentAndFailedOnesStay() throws Exception {
    UUID expired = succeededWithObjects();
    age(expired, "succeeded", 31);
    UUID recent = succeededWithObjects();
    age(recent, "succeeded", 5);
    UUID failed = Api.submit("{\"stages\":0}");
    age(failed, "failed", 40);
    UUID oldFailed = Api.submit("{\"stages\":0}");
    age(oldFailed, "failed", 91);
    assertThat(events(expired)).isPositive();

    int deleted = sweep.sweep();

    assertThat(deleted).isGreaterThanOrEqualTo(2);
    assertThat(status(expired)).isEqualTo(404);
    assertThat(store.stat("artifacts/" + expired + "/out.bin")).isEmpty();
    assertThat(store.stat("inputs/" + expired + "/in.bin")).isEmpty();
    assertThat(events(expired)).isZero();
    assertThat(status(oldFailed)).isEqualTo(404);
    assertThat(status(recent)).isEqualTo(200);
    assertThat(store.stat("artifacts/" + recent + "/out.bin")).isPresent();
    assertThat(status(failed)).as("failed jobs are kept 90 days").isEqualTo(200);
  }

  @Test
  void aJobTypeAndATenantCanKeepJobsForTheirOwnNumberOfDays() throws Exception {
    // %test.kiln.retention.type-days.reconstruction=3
    String model =
        given()
            .multiPart("job", "{\"type\":\"reconstruction\"}", "application/json")
            .multiPart("file", "dome.png", TestImages.png(64, 48), "image/png")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    UUID reconstruction = UUID.fromString(model);
    age(reconstruction, "succeeded", 4);
    String tenant = TestKeys.newTenant("keeper");
    given()
        .contentType("application/json")
        .body("{\"retentionDays\":365}")
        .put("/api/v1/admin/tenants/" + tenant)
        .then()
        .statusCode(200)
        .body("retentionDays", org.hamcrest.Matchers.is(365));
    UUID kept = TestKeys.submit(TestKeys.create(tenant, "submitter"));
    age(kept, "succeeded", 40);
    UUID synthetic = Api.submit("{\"stages\":0}");
    age(synthetic, "succeeded", 4);

    sweep.sweep();

    assertThat(status(reconstruction)).as("reconstruction keeps 3 days").isEqualTo(404);
    assertThat(status(synthetic)).as("synthetic keeps the default 30 days").isEqualTo(200);
    assertThat(status(kept)).as("the tenant keeps 365 days").isEqualTo(200);
  }

  @Test
  void retentionOutOfRangeIsAFieldError() {
    given()
        .contentType("application/json")
        .body("{\"retentionDays\":5000}")
        .put("/api/v1/admin/tenants/default")
        .then()
        .statusCode(400)
        .body("errors[0].field", org.hamcrest.Matchers.is("retentionDays"));
  }
}
