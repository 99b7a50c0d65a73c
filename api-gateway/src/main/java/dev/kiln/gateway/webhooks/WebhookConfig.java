package dev.kiln.gateway.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/**
 * How the gateway calls webhooks ({@code KILN_WEBHOOK_*}). Which addresses they may reach is {@code
 * KILN_WEBHOOK_ALLOW_CIDRS} ({@link dev.kiln.gateway.outbound.OutboundConfig}).
 */
@ConfigMapping(prefix = "kiln.webhooks")
public interface WebhookConfig {

  /**
   * Waits between a failed attempt and the next ({@code KILN_WEBHOOK_RETRY_DELAYS}): the n-th
   * failure waits the n-th delay, later ones the last. Up to 10 % of jitter is added so receivers
   * that failed together are not hit together again.
   */
  @WithDefault("5s,5m,30m,2h,5h,10h")
  List<Duration> retryDelays();

  /**
   * A delivery is given up when its next attempt would come later than this after its first attempt
   * ({@code KILN_WEBHOOK_GIVE_UP_AFTER}).
   */
  @WithDefault("24h")
  Duration giveUpAfter();

  /** Connect timeout of one attempt ({@code KILN_WEBHOOK_CONNECT_TIMEOUT}). */
  @WithDefault("5s")
  Duration connectTimeout();

  /**
   * Longest wait for the receiver's answer, or for more of it ({@code KILN_WEBHOOK_READ_TIMEOUT});
   * the Standard Webhooks spec recommends 15 to 30 s.
   */
  @WithDefault("15s")
  Duration readTimeout();

  /**
   * Bytes of a receiver's answer read at most before the connection is dropped ({@code
   * KILN_WEBHOOK_MAX_RESPONSE_BYTES}); only its status counts.
   */
  @WithDefault("65536")
  long maxResponseBytes();

  /** Attempts one gateway replica makes at the same time ({@code KILN_WEBHOOK_CONCURRENCY}). */
  @WithDefault("16")
  int concurrency();

  /**
   * How often each replica looks for due deliveries ({@code KILN_WEBHOOK_POLL_INTERVAL}); a
   * delivery's first attempt waits up to this long after its job ended.
   */
  @WithDefault("1s")
  Duration pollInterval();
}
