package dev.kiln.model.jobtypes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.json.KilnJson;
import org.junit.jupiter.api.Test;

class ParamValidatorTest {

  private static final ObjectMapper JSON = KilnJson.mapper();
  private final JobTypeDescriptor synthetic =
      JobTypeCatalog.fromClasspath().find("synthetic").orElseThrow();

  private JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void missingParamsAreFilledWithDefaults() throws Exception {
    var result = ParamValidator.validate(synthetic, json("{\"stages\": 5}"));
    assertThat(result.errors()).isEmpty();
    assertThat(result.normalized().get("stages").intValue()).isEqualTo(5);
    assertThat(result.normalized().get("stageMillis").intValue()).isEqualTo(500);
    assertThat(result.normalized().get("failRetryable").booleanValue()).isFalse();
  }

  @Test
  void nullParamsMeanAllDefaults() {
    var result = ParamValidator.validate(synthetic, null);
    assertThat(result.valid()).isTrue();
    assertThat(result.normalized().size()).isEqualTo(synthetic.params().size());
  }

  @Test
  void everyProblemIsReportedWithItsField() throws Exception {
    var result =
        ParamValidator.validate(
            synthetic,
            json(
                "{\"stages\": 99, \"stageMillis\": \"slow\", \"failRetryable\": 1,"
                    + " \"bogus\": true, \"failCode\": \""
                    + "x".repeat(65)
                    + "\"}"));
    assertThat(result.errors())
        .extracting(FieldError::field, FieldError::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("params.bogus", "UNKNOWN_FIELD"),
            org.assertj.core.groups.Tuple.tuple("params.stages", "OUT_OF_RANGE"),
            org.assertj.core.groups.Tuple.tuple("params.stageMillis", "TYPE_MISMATCH"),
            org.assertj.core.groups.Tuple.tuple("params.failRetryable", "TYPE_MISMATCH"),
            org.assertj.core.groups.Tuple.tuple("params.failCode", "TOO_LONG"));
  }

  @Test
  void fractionalValueForIntegerIsATypeMismatch() throws Exception {
    var result = ParamValidator.validate(synthetic, json("{\"stages\": 2.5}"));
    assertThat(result.errors()).extracting(FieldError::code).containsExactly("TYPE_MISMATCH");
  }

  @Test
  void paramsThatAreNotAnObjectAreRejected() throws Exception {
    var result = ParamValidator.validate(synthetic, json("[1,2]"));
    assertThat(result.errors()).extracting(FieldError::field).containsExactly("params");
  }

  @Test
  void catalogListsTheSyntheticTypeWithItsStages() {
    assertThat(JobTypeCatalog.fromClasspath().names()).contains("synthetic");
    assertThat(synthetic.stages()).containsExactly("stage-1", "stage-2", "stage-3");
  }
}
