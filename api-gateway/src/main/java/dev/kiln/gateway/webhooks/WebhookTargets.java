package dev.kiln.gateway.webhooks;

import java.util.Base64;
import java.util.UUID;

/**
 * Where a job's webhooks go when the job names no URL itself, and how they are signed. Both belong
 * to the job's tenant ({@code dev.kiln.gateway.tenants.TenantWebhookTargets}).
 */
public interface WebhookTargets {

  /** The tenant's default notify URL for the job, or null. */
  String defaultNotifyUrl(UUID jobId);

  /** The raw HMAC key of the job's tenant. */
  byte[] signingKey(UUID jobId);

  /** The same key in Standard Webhooks form, {@code whsec_} + base64, as receivers configure it. */
  default String signingSecret(UUID jobId) {
    return "whsec_" + Base64.getEncoder().encodeToString(signingKey(jobId));
  }
}
