package dev.kiln.gateway.auth;

import static dev.kiln.gateway.Api.as;
import static dev.kiln.gateway.Api.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.UUID;

/** Keys made through the admin API, for tests about tenants and roles. */
public final class TestKeys {

  private TestKeys() {}

  /**
   * @param id the key's id, for revoking it
   * @param token the bearer token
   */
  public record Key(UUID id, String token, String tenant, String role) {}

  /** A key of {@code tenant} with {@code role}; the tenant is created when new. */
  public static Key create(String tenant, String role) {
    JsonPath created =
        given()
            .contentType(ContentType.JSON)
            .body(
                "{\"tenant\":\""
                    + tenant
                    + "\",\"role\":\""
                    + role
                    + "\",\"name\":\"test "
                    + role
                    + "\"}")
            .post("/api/v1/admin/keys")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    return new Key(
        UUID.fromString(created.getString("details.id")), created.getString("key"), tenant, role);
  }

  /** A one-stage synthetic job. */
  public static final String JOB = "{\"type\":\"synthetic\",\"params\":{\"stages\":1}}";

  /** The answer to submitting {@link #JOB} as {@code key}, whatever it is. */
  public static Response trySubmit(Key key) {
    return as(key.token()).contentType(ContentType.JSON).body(JOB).post("/api/v1/jobs");
  }

  /** Submits {@link #JOB} as {@code key}, expecting 202; returns the job's id. */
  public static UUID submit(Key key) {
    return UUID.fromString(trySubmit(key).then().statusCode(202).extract().path("id"));
  }

  /** A tenant id no other test uses. */
  public static String newTenant(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
