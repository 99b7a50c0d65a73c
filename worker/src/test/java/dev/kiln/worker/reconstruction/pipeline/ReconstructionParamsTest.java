package dev.kiln.worker.reconstruction.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.jobtypes.JobTypeCatalog;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import dev.kiln.model.jobtypes.ParamValidator;
import dev.kiln.model.json.KilnJson;
import dev.kiln.worker.pipeline.StageFailure;
import org.junit.jupiter.api.Test;

class ReconstructionParamsTest {

  private final JobTypeDescriptor descriptor =
      JobTypeCatalog.fromClasspath().find(ReconstructionPipeline.TYPE).orElseThrow();

  @Test
  void fallbacksForAnEmptyMessageEqualTheGatewaysDefaults() throws Exception {
    ParamValidator.Result defaulted = ParamValidator.validate(descriptor, params());
    assertThat(defaulted.valid()).as(defaulted.errors().toString()).isTrue();

    assertThat(ReconstructionParams.from(params()))
        .isEqualTo(ReconstructionParams.from(defaulted.normalized()));
    assertThat(ReconstructionParams.from(params()).faceLimit()).isEqualTo(100_000);
  }

  @Test
  void gatewayRejectsFormatsOutsideTheEnumAndAFaceLimitBelowFour() {
    ObjectNode bad = params().put("face_limit", 3);
    bad.putArray("formats").add("fbx");

    assertThat(ParamValidator.validate(descriptor, bad).errors())
        .extracting(e -> e.field())
        .containsExactlyInAnyOrder("params.face_limit", "params.formats[0]");
  }

  @Test
  void handPublishedBadValuesFailAsInvalidParams() {
    ObjectNode bad = params();
    bad.putArray("formats").add("fbx");

    assertThatThrownBy(() -> ReconstructionParams.from(bad))
        .isInstanceOf(StageFailure.class)
        .extracting(e -> ((StageFailure) e).code())
        .isEqualTo("INVALID_PARAMS");
    assertThatThrownBy(() -> ReconstructionParams.from(params().put("base_mm", 0)))
        .extracting(e -> ((StageFailure) e).retryable())
        .isEqualTo(false);
  }

  @Test
  void qualityPicksTheAutomaticFaceLimitUnlessOneIsGiven() throws Exception {
    assertThat(ReconstructionParams.from(params().put("quality", "low")).faceLimit())
        .isEqualTo(20_000);
    assertThat(ReconstructionParams.from(params().put("quality", "high")).faceLimit())
        .isEqualTo(400_000);
    assertThat(
            ReconstructionParams.from(params().put("quality", "high").put("face_limit", 777))
                .faceLimit())
        .isEqualTo(777);
  }

  private static ObjectNode params() {
    return KilnJson.mapper().createObjectNode();
  }
}
