package dev.kiln.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSignerTest {

  @Test
  void signaturesMatchTheStandardWebhooksReferenceVector() {
    // the test vector of the Standard Webhooks reference libraries
    byte[] key = WebhookSigner.decodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    String signature =
        WebhookSigner.sign(
            key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330L,
            "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @ParameterizedTest(name = "{0} is no valid secret")
  @ValueSource(
      strings = {
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "whsec_not*base64",
        "whsec_c2hvcnQ=",
        // 66 bytes, over the spec's 512 bits
        "whsec_"
            + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
            + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
      })
  void malformedOrBadlySizedSecretsAreRefused(String secret) {
    assertThatThrownBy(() -> WebhookSigner.decodeSecret(secret))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
