package dev.kiln.gateway.watchdog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The watchdog that recovers running jobs whose worker went silent, and lost retries. */
@ConfigMapping(prefix = "kiln.watchdog")
public interface WatchdogConfig {

  /** Whether this replica takes part (env {@code KILN_WATCHDOG_ENABLED}). */
  @WithDefault("true")
  boolean enabled();

  /**
   * The workers' heartbeat interval; the watchdog runs this often (env {@code
   * KILN_WATCHDOG_HEARTBEAT_INTERVAL}).
   */
  @WithDefault("10S")
  Duration heartbeatInterval();

  /**
   * How many heartbeat intervals a running job may go without an event, and without a live worker
   * listing it in its heartbeat, before it is recovered (env {@code
   * KILN_WATCHDOG_STALE_HEARTBEATS}).
   */
  @WithDefault("6")
  int staleHeartbeats();

  /** Jobs recovered per run, in one transaction; the rest follow at the next run. */
  @WithDefault("50")
  int batchSize();

  /**
   * How long after its {@code nextRunAt} a retry that has not started is published again (env
   * {@code KILN_WATCHDOG_OVERDUE_AFTER}). why long: a retry normally waits in a durable delay queue
   * and then behind the backlog of its work queue; republishing is the last resort for one the
   * broker lost, and a copy that arrives while the original runs runs twice.
   */
  @WithDefault("5M")
  Duration overdueAfter();

  /** How quiet a job must be: {@link #staleHeartbeats()} heartbeat intervals. */
  default Duration quietPeriod() {
    return heartbeatInterval().multipliedBy(staleHeartbeats());
  }
}
