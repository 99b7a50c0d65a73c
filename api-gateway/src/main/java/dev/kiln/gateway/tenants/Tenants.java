package dev.kiln.gateway.tenants;

import dev.kiln.gateway.audit.Audit;
import dev.kiln.gateway.auth.Caller;
import dev.kiln.gateway.auth.SecretKeys;
import dev.kiln.gateway.jobs.SubmissionValidator;
import dev.kiln.gateway.outbound.UrlGuards;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Creating and changing tenants, and their derived webhook secrets. */
@ApplicationScoped
public class Tenants {

  /** Lower-case letters, digits and hyphens: tenant ids appear in URLs, logs and metrics. */
  public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  @Inject Audit audit;
  @Inject SecretKeys secrets;
  @Inject UrlGuards urlGuards;

  public static FieldError checkId(String field, String id) {
    return id == null
        ? new FieldError(field, "REQUIRED", "a tenant id is required")
        : ID.matcher(id).matches()
            ? null
            : new FieldError(
                field,
                "INVALID_TENANT_ID",
                "lower-case letters, digits and '-', starting with a letter or digit, at most 63");
  }

  /** The tenant, created with its id as name when missing (creating a key for a new customer). */
  @Transactional(Transactional.TxType.MANDATORY)
  public Tenant ensure(String id, Caller actor) {
    Tenant tenant = Tenant.findById(id);
    if (tenant == null) {
      tenant = new Tenant();
      tenant.id = id;
      tenant.name = id;
      tenant.webhookSecretGeneration = 1;
      tenant.createdAt = Instant.now();
      tenant.updatedAt = tenant.createdAt;
      tenant.persist();
      audit.record(actor, "tenant.created", id, id, Map.of());
    }
    return tenant;
  }

  /** Creates or changes a tenant; null fields of {@code change} keep their value. */
  @Transactional
  public Tenant update(String id, TenantChange change, Caller actor) {
    FieldError idError = checkId("id", id);
    if (idError != null) {
      throw ProblemException.validation(idError.message(), List.of(idError));
    }
    change.check();
    if (change.defaultNotifyUrl() != null && !change.defaultNotifyUrl().isEmpty()) {
      // why: the same rules as a job's notifyUrl, since it receives the same webhooks
      FieldError urlError =
          SubmissionValidator.urlError(
              "defaultNotifyUrl",
              change.defaultNotifyUrl(),
              urlGuards::refuseNotifyUrl,
              "must be an absolute http or https URL of at most 2048 characters");
      if (urlError != null) {
        throw ProblemException.validation(
            "defaultNotifyUrl: " + urlError.message(), List.of(urlError));
      }
    }
    Tenant tenant = ensure(id, actor);
    Map<String, Object> changed = new LinkedHashMap<>();
    if (change.name() != null) {
      tenant.name = change.name();
      changed.put("name", change.name());
    }
    if (change.defaultNotifyUrl() != null) {
      tenant.defaultNotifyUrl =
          change.defaultNotifyUrl().isEmpty() ? null : change.defaultNotifyUrl();
      changed.put("defaultNotifyUrl", change.defaultNotifyUrl());
    }
    if (change.maxActiveJobs() != null) {
      tenant.maxActiveJobs = change.maxActiveJobs() == 0 ? null : change.maxActiveJobs();
      changed.put("maxActiveJobs", change.maxActiveJobs());
    }
    if (change.submitsPerSecond() != null) {
      tenant.submitsPerSecond = change.submitsPerSecond() == 0 ? null : change.submitsPerSecond();
      changed.put("submitsPerSecond", change.submitsPerSecond());
    }
    if (change.submitBurst() != null) {
      tenant.submitBurst = change.submitBurst() == 0 ? null : change.submitBurst();
      changed.put("submitBurst", change.submitBurst());
    }
    if (change.retentionDays() != null) {
      tenant.retentionDays = change.retentionDays() == 0 ? null : change.retentionDays();
      changed.put("retentionDays", change.retentionDays());
    }
    tenant.updatedAt = Instant.now();
    audit.record(actor, "tenant.updated", id, id, changed);
    return tenant;
  }

  /** A new webhook secret: the old one stops verifying at once. */
  @Transactional
  public Tenant rotateWebhookSecret(String id, Caller actor) {
    Tenant tenant = Tenant.findById(id);
    if (tenant == null) {
      throw ProblemException.notFound("TENANT_NOT_FOUND", "Tenant", id);
    }
    tenant.webhookSecretGeneration++;
    tenant.updatedAt = Instant.now();
    audit.record(
        actor,
        "tenant.webhook_secret_rotated",
        id,
        id,
        Map.of("generation", tenant.webhookSecretGeneration));
    return tenant;
  }

  /** The raw HMAC key that signs the tenant's webhooks. */
  public byte[] webhookKey(Tenant tenant) {
    return secrets.derive("webhook:" + tenant.id + ":" + tenant.webhookSecretGeneration);
  }

  /** The same key in the Standard Webhooks form receivers configure: {@code whsec_<base64>}. */
  public String webhookSecret(Tenant tenant) {
    return "whsec_" + Base64.getEncoder().encodeToString(webhookKey(tenant));
  }
}
