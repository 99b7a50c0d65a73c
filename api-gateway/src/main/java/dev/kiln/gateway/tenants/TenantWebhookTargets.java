package dev.kiln.gateway.tenants;

import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.webhooks.WebhookTargets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.UUID;

/** A job's webhooks go to its tenant's default URL and are signed with its tenant's secret. */
@ApplicationScoped
public class TenantWebhookTargets implements WebhookTargets {

  @Inject Tenants tenants;

  // why: the outbox calls these inside the transaction that ends the job, the dispatcher outside
  // any; REQUIRED joins the first and gives the second a short read-only one
  @Override
  @Transactional
  public String defaultNotifyUrl(UUID jobId) {
    return tenantOf(jobId).defaultNotifyUrl;
  }

  @Override
  @Transactional
  public byte[] signingKey(UUID jobId) {
    return tenants.webhookKey(tenantOf(jobId));
  }

  private static Tenant tenantOf(UUID jobId) {
    Job job = Job.findById(jobId);
    if (job == null) {
      throw new IllegalStateException("no job " + jobId);
    }
    return Tenant.findById(job.tenantId);
  }
}
