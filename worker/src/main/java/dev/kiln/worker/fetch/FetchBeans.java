package dev.kiln.worker.fetch;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The worker's URL fetcher, from {@link FetchConfig}, resolving through the system resolver. */
@Singleton
public class FetchBeans {

  @Produces
  @Singleton
  UrlFetcher urlFetcher(FetchConfig config) {
    // why: a malformed allow-list fails startup instead of silently allowing or refusing
    return new GuardedFetcher(FetchPolicy.from(config), HostResolver.SYSTEM);
  }
}
