package dev.kiln.gateway.outbound;

import dev.kiln.outbound.ConnectListener;
import dev.kiln.outbound.FetchException;
import dev.kiln.outbound.HostResolver;
import dev.kiln.outbound.OutboundGuard;
import jakarta.inject.Singleton;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/** The SSRF guards of the gateway: one for webhook targets, one for job input URLs. */
@Singleton
public class UrlGuards {

  private final OutboundGuard webhooks;
  private final OutboundGuard inputs;

  UrlGuards(OutboundConfig config, HostResolver resolver, ConnectListener listener) {
    SSLSocketFactory tls = (SSLSocketFactory) SSLSocketFactory.getDefault();
    // why: parsed here, at startup, so a malformed allow-list fails the gateway at once
    this.webhooks =
        new OutboundGuard(OutboundBeans.cidrs(config.webhookAllowCidrs()), resolver, tls, listener);
    this.inputs =
        new OutboundGuard(OutboundBeans.cidrs(config.inputAllowCidrs()), resolver, tls, listener);
  }

  /** The guard every webhook call goes through. */
  public OutboundGuard webhooks() {
    return webhooks;
  }

  /** Why a notify URL is refused without resolving it, or empty when it may be submitted. */
  public Optional<String> refuseNotifyUrl(String url) {
    return refusal(webhooks, url);
  }

  /** Why an input URL is refused without resolving it, or empty when it may be submitted. */
  public Optional<String> refuseInputUrl(String url) {
    return refusal(inputs, url);
  }

  private static Optional<String> refusal(OutboundGuard guard, String url) {
    try {
      guard.precheck(url);
      return Optional.empty();
    } catch (FetchException e) {
      return Optional.of(e.getMessage());
    }
  }
}
