package dev.kiln.gateway.outbound;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * Which internal addresses the gateway lets through its SSRF guard ({@code dev.kiln.outbound}). The
 * guard refuses loopback, private, link-local, CGNAT, metadata and other non-public addresses;
 * these lists allow blocks on top (comma-separated literals such as {@code 10.20.0.0/16,fd12::/64},
 * never names). An invalid entry fails the gateway's startup. Unspecified addresses ({@code
 * 0.0.0.0}, {@code ::}) stay refused even when listed.
 */
@ConfigMapping(prefix = "kiln.outbound")
public interface OutboundConfig {

  /**
   * Blocks a job's {@code notifyUrl} (and a tenant's default) may reach although the guard refuses
   * them ({@code KILN_WEBHOOK_ALLOW_CIDRS}). Empty by default; the test profile allows {@code
   * 127.0.0.1/32} for a local receiver. Checked when a job is submitted (literal addresses only)
   * and again, after resolving the name, on every webhook call.
   */
  Optional<List<String>> webhookAllowCidrs();

  /**
   * Blocks a job's URL inputs may point to although the guard refuses them ({@code
   * KILN_FETCH_ALLOW_CIDRS}, the very variable the workers' fetcher reads, so both agree). Only
   * used to refuse input URLs at submission without resolving them; the worker checks again, after
   * resolving, when it fetches.
   */
  Optional<List<String>> inputAllowCidrs();
}
