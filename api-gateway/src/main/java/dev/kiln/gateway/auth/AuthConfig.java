package dev.kiln.gateway.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Authentication: the bootstrap admin key, the signing key and how long checks are cached. */
@ConfigMapping(prefix = "kiln.auth")
public interface AuthConfig {

  /**
   * The first admin key (env {@code KILN_ADMIN_KEY}, in Kubernetes from a Secret). At startup it
   * becomes an admin key of {@link #adminTenant()}; a new value revokes the previous one. Without
   * it, keys can only be made by an existing admin key.
   */
  Optional<String> adminKey();

  /** The tenant of the bootstrap admin key; created when missing. */
  @WithDefault("default")
  String adminTenant();

  /**
   * The gateway's secret (env {@code KILN_SECRET_KEY}, at least 32 characters, the same on every
   * replica). Stream tokens and tenants' webhook secrets are derived from it, so it is never stored
   * in the database.
   */
  String secretKey();

  /**
   * How long a replica trusts a key it has checked. Revoking a key takes effect at once on the
   * replica that revoked it and within this time on the others.
   */
  @WithDefault("5S")
  Duration keyCacheTtl();

  /** Lifetime of stream tokens issued for browser EventSource clients. */
  @WithDefault("10M")
  Duration streamTokenTtl();
}
