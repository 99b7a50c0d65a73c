package dev.kiln.outbound;

import java.time.Duration;
import java.util.List;

/**
 * Limits of one fetch, redirects included; as the worker's {@code FetchConfig} documents them.
 *
 * @param allowed address blocks allowed although the guard would refuse them
 */
public record FetchPolicy(
    List<Cidr> allowed, long maxBytes, Duration timeout, Duration maxDuration, int maxRedirects) {

  public FetchPolicy {
    allowed = List.copyOf(allowed);
    if (maxBytes < 0 || maxRedirects < 0) {
      throw new IllegalArgumentException("fetch limits must not be negative");
    }
    if (timeout.isNegative() || timeout.isZero() || maxDuration.isNegative()) {
      throw new IllegalArgumentException("fetch timeouts must be positive");
    }
    if (timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("fetch timeout too long: " + timeout);
    }
  }
}
