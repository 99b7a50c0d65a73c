package dev.kiln.gateway.auth;

import static dev.kiln.gateway.Api.as;
import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kiln.gateway.Api;
import dev.kiln.model.fixtures.SseClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Browser EventSource clients read one job's events with a short-lived signed token. */
@QuarkusTest
class StreamTokenTest {

  @TestHTTPResource("/")
  URL root;

  @Inject StreamTokens tokens;

  private String url(String path) {
    return root.toString().replaceAll("/$", "") + path;
  }

  @Test
  void aStreamTokenOpensItsJobsEventsWithoutAHeader() throws Exception {
    TestKeys.Key viewer = TestKeys.create(TestKeys.newTenant("browser"), "submitter");
    UUID id = TestKeys.submit(viewer);
    JsonPath issued =
        as(viewer.token())
            .post("/api/v1/jobs/" + id + "/stream-token")
            .then()
            .statusCode(200)
            .header("Cache-Control", "no-store")
            .extract()
            .jsonPath();
    assertThat(Instant.parse(issued.getString("expiresAt")))
        .isBetween(Instant.now().plusSeconds(9 * 60), Instant.now().plusSeconds(11 * 60));
    try (SseClient sse = SseClient.open(url(issued.getString("eventsUrl")), null)) {
      as(viewer.token()).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.untilEnd(Duration.ofSeconds(10)))
          .extracting(SseClient.Frame::event)
          .containsExactly("job.cancelled");
    }
  }

  @Test
  void aStreamTokenReadsNothingButItsOwnJobsEvents() throws Exception {
    TestKeys.Key key = TestKeys.create(TestKeys.newTenant("browser"), "submitter");
    UUID id = TestKeys.submit(key);
    UUID other = TestKeys.submit(key);
    String token =
        as(key.token()).post("/api/v1/jobs/" + id + "/stream-token").jsonPath().getString("token");
    try (SseClient sse =
        SseClient.open(url("/api/v1/jobs/" + other + "/events?access_token=" + token), null)) {
      assertThat(sse.status()).isEqualTo(401);
    }
    for (String path : new String[] {"/api/v1/jobs/" + id, "/api/v1/jobs", "/api/v1/events"}) {
      RestAssured.given()
          .queryParam("access_token", token)
          .get(path)
          .then()
          .statusCode(401)
          .body("code", equalTo("UNAUTHENTICATED"));
    }
    // a key in the query is not a stream token
    try (SseClient sse =
        SseClient.open(url("/api/v1/jobs/" + id + "/events?access_token=" + Api.ADMIN_KEY), null)) {
      assertThat(sse.status()).isEqualTo(401);
    }
  }

  @Test
  void expiredTamperedAndRevokedStreamTokensAre401() throws Exception {
    TestKeys.Key key = TestKeys.create(TestKeys.newTenant("browser"), "viewer");
    UUID id = Api.submit("{\"stages\":1}");
    Caller caller =
        new Caller(key.id(), key.token().substring(0, 13), key.tenant(), Role.VIEWER, null);
    String expired = tokens.issue(id, caller, Instant.now().minus(Duration.ofHours(1))).token();
    String valid =
        given().post("/api/v1/jobs/" + id + "/stream-token").jsonPath().getString("token");
    String tampered = valid.substring(0, valid.length() - 2) + (valid.endsWith("A") ? "BB" : "AA");
    for (String token : new String[] {expired, tampered, "kst_x.y", "garbage"}) {
      try (SseClient sse =
          SseClient.open(url("/api/v1/jobs/" + id + "/events?access_token=" + token), null)) {
        assertThat(sse.status()).as(token).isEqualTo(401);
      }
    }
    TestKeys.Key issuer = TestKeys.create(TestKeys.newTenant("browser"), "submitter");
    UUID own = TestKeys.submit(issuer);
    String revokedLater =
        as(issuer.token())
            .post("/api/v1/jobs/" + own + "/stream-token")
            .jsonPath()
            .getString("token");
    given().delete("/api/v1/admin/keys/" + issuer.id()).then().statusCode(204);
    try (SseClient sse =
        SseClient.open(url("/api/v1/jobs/" + own + "/events?access_token=" + revokedLater), null)) {
      assertThat(sse.status()).isEqualTo(401);
    }
  }
}
