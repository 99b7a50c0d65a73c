package dev.kiln.gateway.quota;

import static dev.kiln.gateway.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kiln.gateway.auth.TestKeys;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each key's submit bucket, with the small limits of a profile of its own. */
@QuarkusTest
@TestProfile(SubmitRateLimitTest.SmallBucket.class)
class SubmitRateLimitTest {

  /** A bucket of 3 that refills one token every 2 s. */
  public static class SmallBucket implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("kiln.quota.submit-burst", "3", "kiln.quota.submits-per-second", "0.5");
    }
  }

  @Inject AgroalDataSource db;

  private static Response submit(TestKeys.Key key) {
    return TestKeys.trySubmit(key);
  }

  @Test
  void aKeyPastItsBurstGets429WithRetryAfterAndRateLimitHeaders() throws Exception {
    TestKeys.Key key = TestKeys.create(TestKeys.newTenant("limited"), "submitter");
    TestKeys.Key neighbour = TestKeys.create(TestKeys.newTenant("neighbour"), "submitter");
    for (int remaining = 2; remaining >= 0; remaining--) {
      submit(key)
          .then()
          .statusCode(202)
          .header("RateLimit-Limit", "3")
          .header("RateLimit-Remaining", String.valueOf(remaining));
    }
    Response refused = submit(key);
    refused
        .then()
        .statusCode(429)
        .contentType("application/problem+json")
        .body("code", equalTo("RATE_LIMITED"))
        .header("RateLimit-Remaining", "0");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
    // reads are not limited, and another key has its own bucket
    as(key.token()).get("/api/v1/jobs").then().statusCode(200);
    submit(neighbour).then().statusCode(202);
    // the bucket lives in the database, shared by every replica
    try (Connection c = db.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select tokens from rate_buckets where key_id = '" + key.id() + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getDouble(1)).isLessThan(1);
    }
    Thread.sleep(Long.parseLong(refused.header("Retry-After")) * 1000 + 200);
    submit(key).then().statusCode(202);
  }

  @Test
  void bucketUpdatesCommitWithoutWaitingForAWalFlush() throws Exception {
    // why: every submission of a key updates one bucket row; a logged table would make each
    // update hold that row's lock through an fsync, so a key's submissions would queue on it
    try (Connection c = db.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select relpersistence from pg_class where relname = 'rate_buckets'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("u");
    }
  }
}
