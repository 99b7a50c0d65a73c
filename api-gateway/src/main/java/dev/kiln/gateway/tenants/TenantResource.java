package dev.kiln.gateway.tenants;

import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.quota.QuotaConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Tenants: admins manage all of them; every key reads its own. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

  /**
   * @param maxActiveJobs the cap on queued + running jobs that applies to the tenant
   * @param submitsPerSecond each key's steady submit rate
   * @param submitBurst each key's submit bucket size
   * @param retentionDays the tenant's own retention in days, or null when the job type's or the
   *     gateway's default applies
   */
  public record TenantView(
      String id,
      String name,
      String defaultNotifyUrl,
      int maxActiveJobs,
      double submitsPerSecond,
      int submitBurst,
      Integer retentionDays,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * @param secret verifies the tenant's webhooks ({@code whsec_…}, Standard Webhooks form)
   */
  public record WebhookSecret(String secret) {}

  public record TenantList(List<TenantView> items) {}

  @Inject Tenants tenants;
  @Inject CurrentCaller caller;
  @Inject QuotaConfig quota;

  @GET
  @Path("/tenant")
  @Access(Role.VIEWER)
  @Operation(summary = "The caller's own tenant")
  public TenantView own() {
    return view(require(caller.tenantId()));
  }

  @GET
  @Path("/tenant/webhook-secret")
  @Access(Role.SUBMITTER)
  @Operation(summary = "The secret that verifies the caller's tenant's webhooks")
  public WebhookSecret ownWebhookSecret() {
    return new WebhookSecret(tenants.webhookSecret(require(caller.tenantId())));
  }

  @GET
  @Path("/admin/tenants")
  @Access(Role.ADMIN)
  @Operation(summary = "List every tenant")
  public TenantList list() {
    return new TenantList(Tenant.<Tenant>list("order by id").stream().map(this::view).toList());
  }

  @GET
  @Path("/admin/tenants/{id}")
  @Access(Role.ADMIN)
  @Operation(summary = "One tenant")
  public TenantView get(@PathParam("id") String id) {
    return view(require(id));
  }

  @PUT
  @Path("/admin/tenants/{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Access(Role.ADMIN)
  @Operation(summary = "Create a tenant or change its settings; absent fields keep their value")
  public TenantView put(@PathParam("id") String id, TenantChange change) {
    return view(
        tenants.update(
            id,
            change == null ? new TenantChange(null, null, null, null, null, null) : change,
            caller.get()));
  }

  @POST
  @Path("/admin/tenants/{id}/webhook-secret/rotate")
  @Access(Role.ADMIN)
  @Operation(summary = "Replace a tenant's webhook secret; the old one stops verifying at once")
  public WebhookSecret rotate(@PathParam("id") String id) {
    return new WebhookSecret(tenants.webhookSecret(tenants.rotateWebhookSecret(id, caller.get())));
  }

  private static Tenant require(String id) {
    Tenant tenant = Tenant.findById(id);
    if (tenant == null) {
      throw ProblemException.notFound(
          "TENANT_NOT_FOUND", "Tenant", dev.kiln.gateway.problems.Problems.truncate(id));
    }
    return tenant;
  }

  private TenantView view(Tenant t) {
    return new TenantView(
        t.id,
        t.name,
        t.defaultNotifyUrl,
        t.maxActiveJobs == null ? quota.maxActiveJobs() : t.maxActiveJobs,
        t.submitsPerSecond == null ? quota.submitsPerSecond() : t.submitsPerSecond,
        t.submitBurst == null ? quota.submitBurst() : t.submitBurst,
        t.retentionDays,
        t.createdAt,
        t.updatedAt);
  }
}
