package dev.kiln.worker.fetch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How workers fetch job inputs given by URL ({@code KILN_FETCH_*}). Every fetch, and every redirect
 * hop of it, goes through the SSRF guard: http and https only, and every address the host resolves
 * to must be public unicast (see {@link dev.kiln.outbound.AddressGuard}).
 */
@ConfigMapping(prefix = "kiln.fetch")
public interface FetchConfig {

  /**
   * Address blocks a fetch may reach although the guard refuses them ({@code
   * KILN_FETCH_ALLOW_CIDRS}, comma-separated, e.g. {@code 10.20.0.0/16,fd12::/64}); literals only,
   * no names. Empty by default: loopback, private, link-local, CGNAT and metadata addresses are
   * refused. Tests allow {@code 127.0.0.1/32} to reach a local server. Unspecified addresses
   * ({@code 0.0.0.0}, {@code ::}) are refused even when listed.
   */
  Optional<List<String>> allowCidrs();

  /**
   * Largest response body, in bytes ({@code KILN_FETCH_MAX_BYTES}, default 100 MiB). A larger
   * {@code Content-Length} is refused before the body is read, and a body that grows past it is cut
   * off; the stage fails with {@code INPUT_TOO_LARGE}.
   */
  @WithDefault("104857600")
  long maxBytes();

  /**
   * Connect timeout, and the longest a fetch waits for the response or for further bytes of it
   * ({@code KILN_FETCH_TIMEOUT}).
   */
  @WithDefault("30s")
  Duration timeout();

  /**
   * Longest a whole fetch may take, redirects and body included ({@code KILN_FETCH_MAX_DURATION}),
   * so a server that trickles bytes cannot hold a stage; checked between reads, so a fetch may
   * overrun it by up to {@link #timeout()}.
   */
  @WithDefault("10m")
  Duration maxDuration();

  /**
   * Redirects followed per fetch, each checked like the first URL ({@code
   * KILN_FETCH_MAX_REDIRECTS}).
   */
  @WithDefault("5")
  int maxRedirects();
}
