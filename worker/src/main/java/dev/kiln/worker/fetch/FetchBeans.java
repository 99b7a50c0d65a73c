package dev.kiln.worker.fetch;

import dev.kiln.outbound.Cidr;
import dev.kiln.outbound.FetchPolicy;
import dev.kiln.outbound.GuardedFetcher;
import dev.kiln.outbound.HostResolver;
import dev.kiln.outbound.UrlFetcher;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The worker's URL fetcher, from {@link FetchConfig}, resolving through the system resolver. */
@Singleton
public class FetchBeans {

  @Produces
  @Singleton
  UrlFetcher urlFetcher(FetchConfig config) {
    // why: a malformed allow-list fails startup instead of silently allowing or refusing
    return new GuardedFetcher(policy(config), HostResolver.SYSTEM);
  }

  public static FetchPolicy policy(FetchConfig config) {
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
