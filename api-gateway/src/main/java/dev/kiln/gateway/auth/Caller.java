package dev.kiln.gateway.auth;

import dev.kiln.gateway.problems.ProblemException;
import java.util.UUID;

/**
 * Who sent the request: the key's id and prefix, its tenant and role. A stream token acts as a
 * viewer of one job ({@code streamJob}).
 *
 * @param keyId the API key (for a stream token: the key that issued it)
 * @param keyPrefix the key's public prefix, safe to log
 * @param tenantId the tenant the key belongs to
 * @param role what the key may do
 * @param streamJob the only job a stream token may read, or null for an API key
 */
public record Caller(UUID keyId, String keyPrefix, String tenantId, Role role, UUID streamJob) {

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Whether this caller may see things of {@code tenant}; admins see every tenant. */
  public boolean sees(String tenant) {
    return isAdmin() || tenantId.equals(tenant);
  }

  /**
   * Hides a resource of another tenant behind the same 404 as a missing one, so ids of other
   * tenants' jobs cannot be probed.
   */
  public void requireVisible(String tenant, ProblemException notFound) {
    if (!sees(tenant)) {
      throw notFound;
    }
  }

  /** Who did it, for the audit log and logs: a prefix, never the key. */
  public String actor() {
    return keyPrefix;
  }
}
