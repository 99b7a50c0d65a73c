package dev.kiln.gateway.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Per-key submit rate and per-tenant job caps. Both are kept in PostgreSQL, so they hold across
 * replicas.
 */
@ConfigMapping(prefix = "kiln.quota")
public interface QuotaConfig {

  /** Submit requests each key may make per second on average (a batch counts as one). */
  @WithDefault("10")
  double submitsPerSecond();

  /** How many submit requests a key may make at once after being idle (the bucket's size). */
  @WithDefault("50")
  int submitBurst();

  /** Queued plus running jobs a tenant may have, unless the tenant sets its own cap. */
  @WithDefault("1000")
  int maxActiveJobs();

  /**
   * Within this many jobs of its cap, a tenant's submissions are counted one after the other, so
   * the cap holds exactly; further below it they are counted side by side. The cap can only be
   * passed if more submissions than this are in flight at once for one tenant near its cap.
   */
  @WithDefault("100")
  int exactWithin();
}
