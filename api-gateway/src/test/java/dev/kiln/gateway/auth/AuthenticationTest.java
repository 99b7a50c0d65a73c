package dev.kiln.gateway.auth;

import static dev.kiln.gateway.Api.as;
import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.kiln.gateway.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every API call needs a valid key; probes and scrapers do not. */
@QuarkusTest
class AuthenticationTest {

  @Test
  void everyApiOperationRefusesCallersWithoutAKey() {
    // the OpenAPI document lists every operation the gateway serves, so a new endpoint is
    // covered by this test the day it is added
    JsonPath document = RestAssured.given().accept("application/json").get("/q/openapi").jsonPath();
    assertThat(document.getString("components.securitySchemes.apiKey.scheme")).isEqualTo("bearer");
    Map<String, Map<String, Object>> paths = document.getMap("paths");
    List<String> open = new ArrayList<>();
    int checked = 0;
    for (var path : paths.entrySet()) {
      String url = path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
      for (String method : path.getValue().keySet()) {
        if (!List.of("get", "post", "put", "delete", "patch").contains(method)) {
          continue;
        }
        Response response =
            RestAssured.given().contentType(ContentType.JSON).body("{}").request(method, url);
        checked++;
        if (response.statusCode() != 401
            || !response.contentType().startsWith("application/problem+json")
            || !"UNAUTHENTICATED".equals(response.jsonPath().getString("code"))) {
          open.add(method + " " + path.getKey() + " -> " + response.statusCode());
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
    assertThat(open).isEmpty();
  }

  @Test
  void missingKeyIs401WithABearerChallenge() {
    RestAssured.given()
        .get("/api/v1/jobs")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .header("WWW-Authenticate", startsWith("Bearer"))
        .body("code", equalTo("UNAUTHENTICATED"));
  }

  @Test
  void unknownMalformedAndNonBearerKeysAre401() {
    for (String header :
        List.of(
            "Bearer kiln_" + "x".repeat(43),
            "Bearer short",
            "Bearer " + "y".repeat(300),
            "Basic " + Api.ADMIN_KEY,
            "Bearer",
            "Bearer " + Api.ADMIN_KEY + "x")) {
      RestAssured.given()
          .header("Authorization", header)
          .get("/api/v1/jobs")
          .then()
          .statusCode(401)
          .contentType("application/problem+json")
          .body("code", equalTo("INVALID_TOKEN"));
    }
  }

  @Test
  void aCreatedKeyWorksAndItsTokenIsShownOnlyOnce() {
    TestKeys.Key key = TestKeys.create(TestKeys.newTenant("once"), "viewer");
    assertThat(key.token()).startsWith("kiln_").hasSizeGreaterThanOrEqualTo(48);
    as(key.token()).get("/api/v1/jobs").then().statusCode(200);
    String listed =
        given()
            .get("/api/v1/admin/keys?tenant=" + key.tenant())
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(listed).contains(key.token().substring(0, 13)).doesNotContain(key.token());
    JsonPath keys = JsonPath.from(listed);
    assertThat(keys.getList("items.role")).containsExactly("viewer");
    assertThat(keys.getString("items[0].prefix")).isEqualTo(key.token().substring(0, 13));
  }

  @Test
  void aRevokedKeyStopsWorkingAtOnce() {
    TestKeys.Key key = TestKeys.create(TestKeys.newTenant("revoked"), "submitter");
    as(key.token()).get("/api/v1/jobs").then().statusCode(200);
    given().delete("/api/v1/admin/keys/" + key.id()).then().statusCode(204);
    as(key.token())
        .get("/api/v1/jobs")
        .then()
        .statusCode(401)
        .body("code", equalTo("INVALID_TOKEN"));
    assertThat(
            given()
                .get("/api/v1/admin/keys?tenant=" + key.tenant())
                .jsonPath()
                .getString("items[0].revokedAt"))
        .isNotNull();
  }

  @Test
  void healthMetricsAndTheApiDocumentStayOpenToProbes() {
    // why: the first test class may run while the broker connection is still coming up
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .until(() -> RestAssured.given().get("/q/health/ready").statusCode() == 200);
    RestAssured.given().get("/q/health/live").then().statusCode(200);
    RestAssured.given().get("/q/metrics").then().statusCode(200);
    RestAssured.given().get("/q/openapi").then().statusCode(200);
  }

  @Test
  void invalidKeyRequestsGetFieldErrors() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"tenant\":\"Bad Tenant!\",\"role\":\"root\",\"name\":\"\"}")
        .post("/api/v1/admin/keys")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("tenant", "role", "name"));
  }
}
