package dev.kiln.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobMessageDecoderTest {

  private static final Set<String> RUNS = Set.of("synthetic");
  private static final String JOB = "0b0e8f5e-4c1a-4f6e-9a51-7d1c2f3a4b5c";

  @Test
  void validMessageDecodesWithItsParams() {
    var decoded =
        decode(
            "{\"v\":1,\"jobId\":\""
                + JOB
                + "\",\"type\":\"synthetic\",\"attempt\":2,\"params\":{\"stages\":2},\"extra\":1}");

    assertThat(decoded.ok()).isTrue();
    assertThat(decoded.job().attempt()).isEqualTo(2);
    assertThat(decoded.job().params().get("stages").asInt()).isEqualTo(2);
  }

  @Test
  void missingParamsBecomeAnEmptyObject() {
    var decoded =
        decode("{\"v\":1,\"jobId\":\"" + JOB + "\",\"type\":\"synthetic\",\"attempt\":1}");

    assertThat(decoded.ok()).isTrue();
    assertThat(decoded.job().params()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "null",
        "{\"v\":1,\"type\":\"synthetic\",\"attempt\":1}",
        "{\"v\":1,\"jobId\":\"" + JOB + "\",\"type\":\"synthetic\",\"attempt\":0}",
        "{\"v\":2,\"jobId\":\"" + JOB + "\",\"type\":\"synthetic\",\"attempt\":1}",
        "{\"v\":1,\"jobId\":\"" + JOB + "\",\"type\":\"recipe\",\"attempt\":1}",
        "{\"v\":1,\"jobId\":\"" + JOB + "\",\"attempt\":1}",
        "{\"v\":1,\"jobId\":\"not-a-uuid\",\"type\":\"synthetic\",\"attempt\":1}"
      })
  void undecodableOrForeignMessagesAreRefusedWithAReason(String body) {
    var decoded = decode(body);

    assertThat(decoded.ok()).isFalse();
    assertThat(decoded.problem()).isNotBlank();
  }

  @Test
  void foreignTypeWithReadableIdIsReportedAsUnsupported() {
    var decoded = decode("{\"v\":1,\"jobId\":\"" + JOB + "\",\"type\":\"recipe\",\"attempt\":3}");

    assertThat(decoded.ok()).isFalse();
    assertThat(decoded.reportable()).isTrue();
    assertThat(decoded.code()).isEqualTo("UNSUPPORTED_JOB");
    assertThat(decoded.jobId()).hasToString(JOB);
    assertThat(decoded.attempt()).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"v\":2,\"jobId\":\"" + JOB + "\",\"type\":\"synthetic\",\"attempt\":2}",
        "{\"v\":1,\"jobId\":\"" + JOB + "\",\"attempt\":2}",
        "{\"v\":1,\"jobId\":\"" + JOB + "\",\"type\":\"synthetic\",\"attempt\":2,\"params\":\"x\"}",
        "{\"v\":1,\"jobId\":\"" + JOB + "\",\"type\":\"synthetic\",\"attempt\":2,\"inputs\":{}}"
      })
  void invalidPayloadWithReadableIdIsReportedAsInvalid(String body) {
    var decoded = decode(body);

    assertThat(decoded.ok()).isFalse();
    assertThat(decoded.reportable()).isTrue();
    assertThat(decoded.code()).isEqualTo("INVALID_JOB_MESSAGE");
    assertThat(decoded.jobId()).hasToString(JOB);
    assertThat(decoded.attempt()).isEqualTo(2);
    assertThat(decoded.problem()).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[]",
        "null",
        "",
        "{\"v\":1,\"type\":\"recipe\",\"attempt\":1}",
        "{\"v\":1,\"jobId\":\"" + JOB + "\",\"type\":\"recipe\",\"attempt\":0}",
        "{\"v\":1,\"jobId\":\"" + JOB + "\",\"type\":\"recipe\"}",
        "{\"v\":1,\"jobId\":\"" + JOB + "\",\"type\":\"recipe\",\"attempt\":\"x\"}",
        "{\"v\":1,\"jobId\":\"not-a-uuid\",\"type\":\"recipe\",\"attempt\":1}",
        "{\"v\":1,\"jobId\":42,\"type\":\"recipe\",\"attempt\":1}"
      })
  void messageWithoutAReadableJobIdAndAttemptCannotBeReported(String body) {
    var decoded = decode(body);

    assertThat(decoded.ok()).isFalse();
    assertThat(decoded.reportable()).isFalse();
    assertThat(decoded.problem()).isNotBlank();
  }

  private static JobMessageDecoder.Decoded decode(String body) {
    return JobMessageDecoder.decode(body.getBytes(StandardCharsets.UTF_8), RUNS);
  }
}
