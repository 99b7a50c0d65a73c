package dev.kiln.gateway.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An API key row: the token's hash, never the token. */
@Entity
@Table(name = "api_keys")
public class ApiKey extends PanacheEntityBase {

  @Id public UUID id;

  @Column(name = "tenant_id")
  public String tenantId;

  /** {@link Role#wire()} */
  public String role;

  public String name;

  public String prefix;

  @Column(name = "token_sha256")
  public String tokenSha256;

  public boolean bootstrap;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  public Role role() {
    return Role.parse(role).orElseThrow();
  }

  public static ApiKey findByToken(String token) {
    return find("tokenSha256", ApiTokens.sha256(token)).firstResult();
  }
}
