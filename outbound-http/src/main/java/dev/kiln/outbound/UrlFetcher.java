package dev.kiln.outbound;

/** Opens the body of a URL for a stage. */
@FunctionalInterface
public interface UrlFetcher {

  /**
   * @return the body; the caller closes it
   * @throws FetchException for every failure, with a kind and a message safe to show to clients
   */
  FetchedBody open(String url) throws FetchException;

  /**
   * Refuses every URL without resolving or connecting: for runners built without a configured
   * fetcher (unit tests of other features), which must never reach the network.
   */
  UrlFetcher DISABLED =
      url -> {
        throw new FetchException(
            FetchException.Kind.FORBIDDEN, "URL inputs are disabled on this runner");
      };
}
