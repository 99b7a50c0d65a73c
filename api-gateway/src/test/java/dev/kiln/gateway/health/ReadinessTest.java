package dev.kiln.gateway.health;

import static dev.kiln.gateway.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Readiness covers every dependency, so an outage of any of them takes the replica out. */
@QuarkusTest
class ReadinessTest {

  @Test
  void readinessChecksTheDatabaseTheBrokerTheObjectStoreAndShutdown() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(
            "checks.name",
            hasItems("Database connections health check", "rabbitmq", "object-store", "shutdown"));
    given().get("/q/health/live").then().statusCode(200);
  }
}
