package dev.kiln.worker.fetch;

import java.time.Duration;
import java.util.List;

/**
 * Limits of one fetch, redirects included; see {@link FetchConfig} for what each means.
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

  static FetchPolicy from(FetchConfig config) {
    return new FetchPolicy(
        config.allowCidrs().orElse(List.of()).stream()
            .filter(s -> !s.isBlank())
            .map(Cidr::parse)
            .toList(),
        config.maxBytes(),
        config.timeout(),
        config.maxDuration(),
        config.maxRedirects());
  }
}
