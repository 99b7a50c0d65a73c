package dev.kiln.gateway.idempotency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long Idempotency-Key answers are kept. */
@ConfigMapping(prefix = "kiln.idempotency")
public interface IdempotencyConfig {

  /** A key answers with its first response for this long; then it may be used again. */
  @WithDefault("24H")
  Duration ttl();

  /** How often expired keys are deleted. */
  @WithDefault("1H")
  Duration sweepInterval();
}
