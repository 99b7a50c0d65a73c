package dev.kiln.gateway.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys derived from the gateway's one secret ({@code KILN_SECRET_KEY}): HMAC-SHA256(secret,
 * purpose). why: each use gets its own key, so a leaked webhook secret of one tenant reveals
 * neither another tenant's nor the stream-token key, and no derived secret needs storing.
 */
@ApplicationScoped
public class SecretKeys {

  public static final int MIN_SECRET_LENGTH = 32;

  private final byte[] secret;

  @Inject
  public SecretKeys(AuthConfig config) {
    String value = config.secretKey();
    if (value.length() < MIN_SECRET_LENGTH) {
      throw new IllegalStateException(
          "KILN_SECRET_KEY must be at least " + MIN_SECRET_LENGTH + " characters");
    }
    this.secret = value.getBytes(StandardCharsets.UTF_8);
  }

  public byte[] derive(String purpose) {
    return hmac(secret, purpose.getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
