package dev.kiln.gateway.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the outbox relay publishes. */
@ConfigMapping(prefix = "kiln.outbox")
public interface OutboxConfig {

  /** Rows published per transaction; one confirm wait covers the whole batch. */
  @WithDefault("500")
  int batchSize();

  /**
   * How often to look for rows when nothing signalled new ones: rows left by another replica that
   * died, or by this one before a restart.
   */
  @WithDefault("1S")
  Duration pollInterval();

  /** How long to wait for the broker's confirms of one batch before retrying it. */
  @WithDefault("10S")
  Duration confirmTimeout();
}
