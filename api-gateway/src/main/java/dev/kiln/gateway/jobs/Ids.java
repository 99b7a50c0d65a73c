package dev.kiln.gateway.jobs;

import java.security.SecureRandom;
import java.util.UUID;

/** Job and batch ids: UUID version 7, so new rows land at the end of the primary key index. */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static UUID newId() {
    long millis = System.currentTimeMillis();
    long randA = RANDOM.nextInt(1 << 12);
    long high = (millis << 16) | (0x7L << 12) | randA;
    long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }
}
