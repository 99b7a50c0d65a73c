package dev.kiln.gateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures (symmetric, {@code v1}): HMAC-SHA256 over {@code
 * {webhook-id}.{webhook-timestamp}.{body}}, base64-encoded, prefixed with {@code v1,}.
 */
public final class WebhookSigner {

  /** The spec's bounds for a symmetric key: at least 192, at most 512 bits. */
  static final int MIN_KEY_BYTES = 24;

  static final int MAX_KEY_BYTES = 64;

  private WebhookSigner() {}

  /** The {@code webhook-signature} header value. */
  public static String sign(byte[] key, String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * The key bytes of a {@code whsec_<base64>} secret.
   *
   * @throws IllegalArgumentException for any other form, or a key outside 24 to 64 bytes
   */
  public static byte[] decodeSecret(String secret) {
    String s = secret.strip();
    if (!s.startsWith("whsec_")) {
      throw new IllegalArgumentException("a webhook signing secret has the form whsec_<base64>");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(s.substring("whsec_".length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the webhook signing secret is not valid base64");
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("a webhook signing key has 24 to 64 bytes");
    }
    return key;
  }
}
