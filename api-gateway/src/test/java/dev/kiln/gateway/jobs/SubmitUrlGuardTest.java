package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * URLs the SSRF guard would always refuse are refused at submission, without any lookup, on the
 * exact field. The test allow-list holds 127.0.0.1/32 only, so every URL here is another loopback
 * form or a range nothing allows; being refused means no job exists, so nothing is ever sent.
 */
@QuarkusTest
class SubmitUrlGuardTest {

  @Inject AgroalDataSource db;

  @ParameterizedTest(name = "input URL {0} is refused")
  @ValueSource(
      strings = {
        "http://127.0.0.2/page",
        "http://127.1/page",
        "http://2130706434/page",
        "http://0x7f000002/page",
        "http://0177.0.0.2/page",
        "http://[::1]/page",
        "http://[::ffff:127.0.0.2]/page",
        "http://localhost./page",
        "http://api.localhost/page",
        "http://0.0.0.0/page",
        "http://10.1.2.3/page",
        "http://169.254.169.254/latest/meta-data/",
        "http://user:secret@example.org/page",
        "http://example.org@10.0.0.1/page"
      })
  void aForbiddenInputUrlIsRefusedOnItsFieldAndNothingIsStored(String url) throws Exception {
    long before = jobCount();

    JsonPath problem =
        refused("{\"type\":\"synthetic\",\"inputs\":[{\"url\":\"" + url + "\"}]}", "/api/v1/jobs");

    assertThat(problem.getString("errors.find { it.field == 'inputs[0].url' }.code"))
        .isEqualTo("URL_FORBIDDEN");
    assertThat(jobCount()).isEqualTo(before);
  }

  @ParameterizedTest(name = "notifyUrl {0} is refused")
  @ValueSource(
      strings = {
        "http://127.0.0.2:8080/hook",
        "http://[::1]/hook",
        "http://localhost./hook",
        "http://0x7f000001.1/hook",
        "http://192.168.1.10/hook",
        "http://[fd00:ec2::254]/hook"
      })
  void aForbiddenNotifyUrlIsRefusedOnItsField(String url) throws Exception {
    long before = jobCount();

    JsonPath problem =
        refused("{\"type\":\"synthetic\",\"notifyUrl\":\"" + url + "\"}", "/api/v1/jobs");

    assertThat(problem.getString("errors.find { it.field == 'notifyUrl' }.code"))
        .isEqualTo("URL_FORBIDDEN");
    assertThat(jobCount()).isEqualTo(before);
  }

  @Test
  void aBatchNamesTheJobWhoseNotifyUrlIsRefused() throws Exception {
    long before = jobCount();
    String ok = "{\"type\":\"synthetic\",\"notifyUrl\":\"https://hooks.example.org/kiln\"}";
    String bad = "{\"type\":\"synthetic\",\"notifyUrl\":\"http://[::ffff:127.0.0.2]/\"}";

    JsonPath problem =
        refused("{\"jobs\":[" + ok + "," + ok + "," + ok + "," + bad + "]}", "/api/v1/batches");

    assertThat(problem.getList("errors.field")).containsExactly("jobs[3].notifyUrl");
    assertThat(problem.getString("errors[0].code")).isEqualTo("URL_FORBIDDEN");
    assertThat(jobCount()).isEqualTo(before);
  }

  @Test
  void namesArePassedWithoutLookupAndTheAllowListedAddressIsAccepted() {
    // why: .test names resolve nowhere; accepting them proves no lookup happens at submission
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"type\":\"synthetic\",\"notifyUrl\":\"http://hooks.unresolvable.test/x\","
                + "\"inputs\":[{\"url\":\"http://127.0.0.1:9/in.bin\"}]}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(202);
  }

  @Test
  void aNonHttpNotifyUrlKeepsItsFormatError() {
    given()
        .contentType(ContentType.JSON)
        .body("{\"type\":\"synthetic\",\"notifyUrl\":\"gopher://example.org/\"}")
        .post("/api/v1/jobs")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("notifyUrl"))
        .body("errors[0].code", equalTo("INVALID_URL"));
  }

  private static JsonPath refused(String body, String path) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post(path)
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("code", equalTo("VALIDATION_FAILED"))
        .extract()
        .jsonPath();
  }

  private long jobCount() throws Exception {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from jobs")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
