package dev.kiln.gateway.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/**
 * How long finished jobs are kept. A job's days are its tenant's {@code retentionDays}, else its
 * type's entry in {@link #typeDays()}, else {@link #days()}; a failed job is kept at least {@link
 * #failedDays()}, because failures are what people come back to investigate.
 */
@ConfigMapping(prefix = "kiln.retention")
public interface RetentionConfig {

  /**
   * Whether this replica sweeps (env {@code KILN_RETENTION_ENABLED}); one replica sweeps at a time.
   */
  @WithDefault("true")
  boolean enabled();

  /**
   * Days a succeeded or cancelled job is kept after it finished (env {@code KILN_RETENTION_DAYS}).
   */
  @WithDefault("30")
  int days();

  /** Least days a failed job is kept (env {@code KILN_RETENTION_FAILED_DAYS}). */
  @WithDefault("90")
  int failedDays();

  /**
   * Days per job type, overriding {@link #days()}, e.g. {@code
   * kiln.retention.type-days.extraction=7}.
   */
  Map<String, Integer> typeDays();

  /** How often the sweep runs (env {@code KILN_RETENTION_INTERVAL}). */
  @WithDefault("10M")
  Duration interval();

  /**
   * Jobs deleted per transaction. why small: each batch holds row locks while its objects are
   * removed from the store, and a large one would make the sweep a burst of load.
   */
  @WithDefault("100")
  int batchSize();
}
