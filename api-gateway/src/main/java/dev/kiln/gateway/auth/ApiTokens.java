package dev.kiln.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** API key tokens: 256 random bits, shown once, kept only as a SHA-256. */
public final class ApiTokens {

  /** Every generated token starts with this, so secret scanners can recognise a leaked key. */
  public static final String SCHEME = "kiln_";

  /** Characters of the token that identify it in lists, logs and the audit log. */
  public static final int PREFIX_LENGTH = SCHEME.length() + 8;

  /** Shorter tokens are refused outright (also for KILN_ADMIN_KEY). */
  public static final int MIN_LENGTH = 32;

  public static final int MAX_LENGTH = 256;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {}

  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return SCHEME + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * why: a 256-bit random token cannot be guessed, so a fast hash is enough (a slow password hash
   * would only cost every request time) and the lookup is one indexed equality.
   */
  public static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String prefix(String token) {
    return token.substring(0, Math.min(PREFIX_LENGTH, token.length()));
  }

  /** Plausible token text: printable ASCII without spaces, of a sane length. */
  public static boolean wellFormed(String token) {
    if (token == null || token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
      return false;
    }
    return token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}
