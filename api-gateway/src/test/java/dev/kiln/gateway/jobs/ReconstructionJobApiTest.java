package dev.kiln.gateway.jobs;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.Api;
import dev.kiln.gateway.uploads.TestImages;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reconstruction type through the API: input counts chosen by mode, and the thumbnail. */
@QuarkusTest
class ReconstructionJobApiTest {

  private static LocalBroker broker;

  @BeforeAll
  static void connect() throws Exception {
    broker = LocalBroker.connect();
  }

  @AfterAll
  static void disconnect() throws Exception {
    broker.close();
  }

  private static RequestSpecification withImages(String mode, int images) {
    RequestSpecification spec =
        given()
            .multiPart(
                "job",
                "{\"type\":\"reconstruction\",\"params\":{\"mode\":\"" + mode + "\"}}",
                "application/json");
    for (int i = 0; i < images; i++) {
      spec = spec.multiPart("file", "view-" + i + ".png", TestImages.png(64, 48), "image/png");
    }
    return spec;
  }

  @Test
  void multiviewWithOneImageIsRefusedWithTheModesOwnInputCount() {
    JsonPath problem =
        withImages("multiview", 1)
            .post("/api/v1/jobs")
            .then()
            .statusCode(400)
            .contentType("application/problem+json")
            .extract()
            .jsonPath();

    assertThat(problem.getString("errors[0].field")).isEqualTo("inputs");
    assertThat(problem.getString("errors[0].code")).isEqualTo("INPUT_COUNT");
    assertThat(problem.getString("errors[0].message"))
        .isEqualTo("reconstruction with mode multiview takes 3 to 64 inputs, got 1");
  }

  @Test
  void depthTakesExactlyTwoImagesAndReliefExactlyOne() {
    assertThat(
            withImages("depth", 3)
                .post("/api/v1/jobs")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath()
                .getString("errors[0].message"))
        .isEqualTo("reconstruction with mode depth takes 2 inputs, got 3");
    assertThat(
            withImages("relief", 2)
                .post("/api/v1/jobs")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath()
                .getString("errors[0].message"))
        .isEqualTo("reconstruction with mode relief takes 1 inputs, got 2");
    withImages("depth", 2).post("/api/v1/jobs").then().statusCode(202);
    withImages("multiview", 3).post("/api/v1/jobs").then().statusCode(202);
  }

  @Test
  void aFinishedModelLinksItsPreviewAsTheThumbnail() throws Exception {
    UUID id =
        UUID.fromString(
            withImages("relief", 1)
                .post("/api/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id"));
    assertThat(Api.job(id).getString("links.thumbnail")).isNull();

    EventScript w = new EventScript(id, 1, "w1");
    EventScript.publish(
        broker, w.started(), w.artifact("preview.png", 2048, "ab12"), w.succeeded());
    JsonPath job = Api.awaitStatus(id, "succeeded");

    assertThat(job.getString("links.thumbnail"))
        .isEqualTo("/api/v1/jobs/" + id + "/artifacts/preview.png");
    UUID synthetic = Api.submit("{\"stages\":0}");
    assertThat(Api.job(synthetic).getString("links.thumbnail")).isNull();
  }

  @Test
  void aBatchOfDepthImagesMakesOneJobPerColourAndDepthPair() {
    JsonPath batch =
        withImages("depth", 4).post("/api/v1/batches").then().statusCode(202).extract().jsonPath();

    assertThat(batch.getInt("jobCount")).isEqualTo(2);
    UUID second = UUID.fromString(batch.getString("jobIds[1]"));
    assertThat(Api.job(second).getList("inputs.name", String.class))
        .containsExactly("view-2.png", "view-3.png");
    JsonPath odd =
        withImages("depth", 3).post("/api/v1/batches").then().statusCode(400).extract().jsonPath();
    assertThat(odd.getString("errors[0].code")).isEqualTo("FILE_COUNT");
    withImages("relief", 3).post("/api/v1/batches").then().statusCode(202);
  }
}
