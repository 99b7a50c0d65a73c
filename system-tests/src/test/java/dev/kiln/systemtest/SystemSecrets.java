package dev.kiln.systemtest;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secrets of the gateways the system tests start: fresh random values each run, passed only
 * through the environment, as a Kubernetes Secret would. The log check greps every log for them.
 */
public final class SystemSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** KILN_ADMIN_KEY: the bootstrap admin key the tests act with. */
  public static final String ADMIN_KEY = "kiln_" + random();

  /** KILN_SECRET_KEY: signs stream tokens and derives webhook secrets. */
  public static final String SECRET_KEY = random();

  private SystemSecrets() {}

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@code Authorization} header value of the admin key. */
  public static String bearer() {
    return "Bearer " + ADMIN_KEY;
  }
}
