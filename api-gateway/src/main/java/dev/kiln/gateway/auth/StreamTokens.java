package dev.kiln.gateway.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Short-lived, read-only tokens for one job's event stream, for browser EventSource clients, which
 * cannot send an Authorization header. A token is {@code kst_<payload>.<hmac>}: the payload names
 * the job, the key that asked for it and the expiry, and is signed with a key derived from
 * KILN_SECRET_KEY, so every replica can check it without a lookup of the token itself.
 */
@ApplicationScoped
public class StreamTokens {

  static final String SCHEME = "kst_";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  @Inject SecretKeys secrets;
  @Inject AuthConfig config;

  /**
   * @param token the token for {@code ?access_token=}
   * @param expiresAt when it stops working
   */
  public record Issued(String token, Instant expiresAt) {}

  /** What a valid token grants: reading {@code jobId}'s events as {@code keyId}'s tenant. */
  public record Grant(UUID jobId, UUID keyId, Instant expiresAt) {}

  public Issued issue(UUID jobId, Caller caller, Instant now) {
    Instant expiresAt = now.plus(config.streamTokenTtl());
    String payload = "1:" + jobId + ":" + caller.keyId() + ":" + expiresAt.getEpochSecond();
    byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
    return new Issued(
        SCHEME + B64.encodeToString(bytes) + "." + B64.encodeToString(sign(bytes)), expiresAt);
  }

  /** The grant of a well-signed, unexpired token; empty for anything else. */
  public Optional<Grant> verify(String token, Instant now) {
    if (token == null || !token.startsWith(SCHEME) || token.length() > 512) {
      return Optional.empty();
    }
    String[] parts = token.substring(SCHEME.length()).split("\\.", -1);
    if (parts.length != 2) {
      return Optional.empty();
    }
    try {
      byte[] payload = B64D.decode(parts[0]);
      // why: constant-time comparison, so the signature cannot be guessed byte by byte
      if (!MessageDigest.isEqual(sign(payload), B64D.decode(parts[1]))) {
        return Optional.empty();
      }
      String[] fields = new String(payload, StandardCharsets.US_ASCII).split(":");
      if (fields.length != 4 || !fields[0].equals("1")) {
        return Optional.empty();
      }
      Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(fields[3]));
      if (!now.isBefore(expiresAt)) {
        return Optional.empty();
      }
      return Optional.of(
          new Grant(UUID.fromString(fields[1]), UUID.fromString(fields[2]), expiresAt));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] sign(byte[] payload) {
    return SecretKeys.hmac(secrets.derive("stream-token"), payload);
  }
}
