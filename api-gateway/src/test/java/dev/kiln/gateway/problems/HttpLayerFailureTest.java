package dev.kiln.gateway.problems;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HttpLayerFailureTest {

  @Test
  void failureOutsideAnyResourceIsAProblemWithAnErrorIdAndNoDetailOfTheCause() {
    Response answer = given().get(FailingRoute.PATH);

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.jsonPath().getString("code")).isEqualTo("INTERNAL_ERROR");
    String errorId = answer.jsonPath().getString("errorId");
    assertThat(errorId).matches("[0-9a-f-]{36}");
    assertThat(answer.jsonPath().getString("detail")).contains(errorId);
    assertThat(answer.body().asString())
        .doesNotContain("secret detail", "IllegalStateException", "stack");
  }
}
