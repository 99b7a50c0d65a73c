package dev.kiln.gateway.auth;

import dev.kiln.gateway.audit.Audit;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.tenants.Tenants;
import dev.kiln.model.jobtypes.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Creating, listing, revoking and checking API keys. */
@ApplicationScoped
public class ApiKeys {

  /** why: bounds the memory a flood of random tokens can take; the cache only saves lookups. */
  private static final int MAX_CACHED = 10_000;

  @Inject AuthConfig config;
  @Inject Tenants tenants;
  @Inject Audit audit;

  /** A check's result for {@code keyCacheTtl}; {@code caller} is null for a refused token. */
  private record Checked(Caller caller, long expiresAtNanos) {}

  private final Map<String, Checked> checked = new ConcurrentHashMap<>();

  /**
   * A new key, with the token that is shown this once.
   *
   * @param key the stored key
   * @param token the secret token
   */
  public record Created(ApiKey key, String token) {}

  /** The caller a token stands for, or empty when it is unknown or revoked. */
  public Optional<Caller> authenticate(String token) {
    String hash = ApiTokens.sha256(token);
    long now = System.nanoTime();
    Checked hit = checked.get(hash);
    if (hit != null && hit.expiresAtNanos() - now > 0) {
      return Optional.ofNullable(hit.caller());
    }
    ApiKey key = ApiKey.find("tokenSha256", hash).firstResult();
    Caller caller =
        key == null || key.revokedAt != null
            ? null
            : new Caller(key.id, key.prefix, key.tenantId, key.role(), null);
    if (checked.size() >= MAX_CACHED) {
      checked.clear();
    }
    checked.put(hash, new Checked(caller, now + config.keyCacheTtl().toNanos()));
    return Optional.ofNullable(caller);
  }

  /** The key that issued a stream token, while it stands (revoking it ends its tokens). */
  public Optional<ApiKey> active(UUID keyId) {
    ApiKey key = ApiKey.findById(keyId);
    return key == null || key.revokedAt != null ? Optional.empty() : Optional.of(key);
  }

  @Transactional
  public Created create(String tenantId, String roleName, String name, Caller actor) {
    List<FieldError> errors = new ArrayList<>();
    FieldError tenantError = Tenants.checkId("tenant", tenantId);
    if (tenantError != null) {
      errors.add(tenantError);
    }
    Optional<Role> role = roleName == null ? Optional.empty() : Role.parse(roleName);
    if (role.isEmpty()) {
      errors.add(new FieldError("role", "NOT_IN_ENUM", "must be one of: viewer, submitter, admin"));
    }
    if (name == null || name.isBlank() || name.length() > 100) {
      errors.add(new FieldError("name", "OUT_OF_RANGE", "1 to 100 characters"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation("invalid key request", errors);
    }
    tenants.ensure(tenantId, actor);
    String token = ApiTokens.generate();
    ApiKey key =
        insert(tenantId, role.get(), name, token, actor == null ? Audit.SYSTEM : actor.actor());
    audit.record(
        actor,
        "key.created",
        key.id.toString(),
        tenantId,
        Map.of("prefix", key.prefix, "role", key.role, "name", name));
    return new Created(key, token);
  }

  @Transactional
  public ApiKey revoke(UUID id, Caller actor) {
    ApiKey key = ApiKey.findById(id);
    if (key == null) {
      throw ProblemException.notFound("KEY_NOT_FOUND", "Key", id);
    }
    if (key.revokedAt == null) {
      key.revokedAt = Instant.now();
      audit.record(actor, "key.revoked", id.toString(), key.tenantId, Map.of("prefix", key.prefix));
      checked.remove(key.tokenSha256);
    }
    return key;
  }

  /**
   * Makes {@code token} (from KILN_ADMIN_KEY) an admin key of {@code tenantId}, revoking any
   * earlier bootstrap key with another token: changing the variable rotates the key.
   */
  @Transactional
  public void bootstrap(String token, String tenantId) {
    String hash = ApiTokens.sha256(token);
    List<ApiKey> earlier = ApiKey.list("bootstrap = true and revokedAt is null");
    boolean present = false;
    for (ApiKey key : earlier) {
      if (key.tokenSha256.equals(hash)) {
        present = true;
      } else {
        key.revokedAt = Instant.now();
        audit.record(
            null,
            "key.revoked",
            key.id.toString(),
            key.tenantId,
            Map.of("prefix", key.prefix, "reason", "KILN_ADMIN_KEY changed"));
      }
    }
    if (present || ApiKey.count("tokenSha256", hash) > 0) {
      return;
    }
    tenants.ensure(tenantId, null);
    ApiKey key = insert(tenantId, Role.ADMIN, "bootstrap (KILN_ADMIN_KEY)", token, Audit.SYSTEM);
    key.bootstrap = true;
    audit.record(
        null,
        "key.created",
        key.id.toString(),
        tenantId,
        Map.of("prefix", key.prefix, "role", "admin", "name", key.name));
  }

  private static ApiKey insert(String tenantId, Role role, String name, String token, String by) {
    ApiKey key = new ApiKey();
    key.id = UUID.randomUUID();
    key.tenantId = tenantId;
    key.role = role.wire();
    key.name = name;
    key.prefix = ApiTokens.prefix(token);
    key.tokenSha256 = ApiTokens.sha256(token);
    key.createdAt = Instant.now();
    key.createdBy = by;
    key.persist();
    return key;
  }
}
