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

  /**
   * How long a replica reuses a tenant's count of active jobs while it is far below the cap (see
   * {@code exactWithin}). Jobs let in through other replicas meanwhile are not in it, so the cap
   * can be passed only if other replicas let in more than {@code exactWithin} jobs of the tenant
   * within this time; 0 counts every submission.
   */
  @WithDefault("250ms")
  java.time.Duration usageSnapshot();
}
