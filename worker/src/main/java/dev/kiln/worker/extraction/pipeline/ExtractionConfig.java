package dev.kiln.worker.extraction.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Limits of the extraction job type's page fetch. Tighter than the general URL-input limits ({@code
 * kiln.fetch.*}): a web page is small, and a slow or huge one is a bad page, not a big input. The
 * allow-list is the general one, {@code KILN_FETCH_ALLOW_CIDRS}.
 */
@ConfigMapping(prefix = "kiln.extraction")
public interface ExtractionConfig {

  /** Largest page, in bytes ({@code KILN_EXTRACTION_MAX_BYTES}); larger fails FETCH_TOO_LARGE. */
  @WithDefault("10485760")
  long maxBytes();

  /**
   * Connect timeout and the longest wait for the next bytes ({@code KILN_EXTRACTION_TIMEOUT});
   * running out fails FETCH_TIMEOUT, which is retried.
   */
  @WithDefault("15s")
  Duration timeout();

  /**
   * Longest a whole page fetch may take, redirects included ({@code KILN_EXTRACTION_MAX_DURATION}).
   */
  @WithDefault("60s")
  Duration maxDuration();

  /** Redirects followed, each checked by the SSRF guard ({@code KILN_EXTRACTION_MAX_REDIRECTS}). */
  @WithDefault("5")
  int maxRedirects();
}
