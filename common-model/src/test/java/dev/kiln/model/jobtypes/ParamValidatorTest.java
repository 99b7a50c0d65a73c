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

  private JobTypeDescriptor typeWith(String paramsJson) throws Exception {
    return JSON.readValue(
        "{\"name\":\"t\",\"stages\":[\"s\"],\"params\":" + paramsJson + "}",
        JobTypeDescriptor.class);
  }

  @Test
  void everyStringParamOfEveryJobTypeHasALengthCap() {
    for (JobTypeDescriptor type : JobTypeCatalog.fromClasspath().all()) {
      type.params()
          .forEach(
              (name, spec) -> {
                if ("string".equals(spec.type())) {
                  assertThat(spec.effectiveMaxLength())
                      .as(type.name() + "." + name)
                      .isBetween(1, ParamSpec.DEFAULT_MAX_LENGTH);
                }
              });
    }
  }

  @Test
  void aStringWithoutADeclaredCapGetsTheDefaultCap() throws Exception {
    JobTypeDescriptor type = typeWith("{\"note\":{\"type\":\"string\"}}");
    var ok = ParamValidator.validate(type, json("{\"note\":\"" + "x".repeat(1024) + "\"}"));
    var tooLong = ParamValidator.validate(type, json("{\"note\":\"" + "x".repeat(1025) + "\"}"));
    assertThat(ok.errors()).isEmpty();
    assertThat(tooLong.errors())
        .extracting(FieldError::field, FieldError::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("params.note", "TOO_LONG"));
  }

  @Test
  void controlCharactersAndLoneSurrogatesInStringsAreRefused() throws Exception {
    for (String bad :
        new String[] {"a\\u0000b", "\\u001b[31m", "x\\ud800", "\\udc00y", "\\u0085"}) {
      var result = ParamValidator.validate(synthetic, json("{\"failCode\":\"" + bad + "\"}"));
      assertThat(result.errors())
          .as(bad)
          .extracting(FieldError::field, FieldError::code)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("params.failCode", "INVALID_CHARACTERS"));
    }
    for (String good :
        new String[] {"tab\\there", "line\\nbreak", "emoji \\ud83d\\ude00", "\\u202e"}) {
      assertThat(
              ParamValidator.validate(synthetic, json("{\"failCode\":\"" + good + "\"}")).errors())
          .as(good)
          .isEmpty();
    }
  }

  @Test
  void integersBeyondSixtyFourBitsAreOutOfRangeEvenWithoutBounds() throws Exception {
    JobTypeDescriptor type = typeWith("{\"n\":{\"type\":\"integer\"}}");
    for (String big : new String[] {"9223372036854775808", "-9223372036854775809", "1e30"}) {
      assertThat(ParamValidator.validate(type, json("{\"n\":" + big + "}")).errors())
          .as(big)
          .extracting(FieldError::code)
          .containsExactly("OUT_OF_RANGE");
    }
    assertThat(ParamValidator.validate(type, json("{\"n\":9223372036854775807}")).errors())
        .isEmpty();
  }

  @Test
  void nonFiniteNumbersAreTypeMismatches() throws Exception {
    JobTypeDescriptor type = typeWith("{\"x\":{\"type\":\"number\"},\"n\":{\"type\":\"integer\"}}");
    var result = ParamValidator.validate(type, json("{\"x\":1e400,\"n\":-1e400}"));
    assertThat(result.errors())
        .extracting(FieldError::field, FieldError::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("params.x", "TYPE_MISMATCH"),
            org.assertj.core.groups.Tuple.tuple("params.n", "TYPE_MISMATCH"));
  }

  @Test
  void enumsAndArraysAreCheckedItemByItemWithADefaultItemCap() throws Exception {
    JobTypeDescriptor type =
        typeWith(
            "{\"mode\":{\"type\":\"string\",\"enum\":[\"fast\",\"good\"]},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":3}}}");
    var result =
        ParamValidator.validate(type, json("{\"mode\":\"FAST\",\"tags\":[\"ok\",\"long\",7]}"));
    assertThat(result.errors())
        .extracting(FieldError::field, FieldError::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("params.mode", "NOT_IN_ENUM"),
            org.assertj.core.groups.Tuple.tuple("params.tags[1]", "TOO_LONG"),
            org.assertj.core.groups.Tuple.tuple("params.tags[2]", "TYPE_MISMATCH"));
    String many = "[" + "\"a\",".repeat(ParamSpec.DEFAULT_MAX_ITEMS) + "\"a\"]";
    assertThat(ParamValidator.validate(type, json("{\"tags\":" + many + "}")).errors())
        .extracting(FieldError::code)
        .containsExactly("TOO_MANY_ITEMS");
  }

  @Test
  void nestedArraysAreCheckedAtEveryLevelIncludingTheirExactLength() throws Exception {
    JobTypeDescriptor type =
        typeWith(
            "{\"projections\":{\"type\":\"array\",\"items\":{\"type\":\"array\","
                + "\"minItems\":12,\"maxItems\":12,\"items\":{\"type\":\"number\"}}}}");
    String twelve = "[1,0,0,0, 0,1,0,0, 0,0,1,5]";
    assertThat(ParamValidator.validate(type, json("{\"projections\":[" + twelve + "]}")).valid())
        .isTrue();
    var result =
        ParamValidator.validate(
            type, json("{\"projections\":[[1,2,3],[1,0,0,0,0,1,0,0,0,0,1,\"x\"]]}"));
    assertThat(result.errors())
        .extracting(FieldError::field, FieldError::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("params.projections[0]", "TOO_FEW_ITEMS"),
            org.assertj.core.groups.Tuple.tuple("params.projections[1][11]", "TYPE_MISMATCH"));
  }
}
