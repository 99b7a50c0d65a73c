package dev.kiln.gateway.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a key may do. Each role includes the ones before it. */
public enum Role {
  /** Reads its tenant's jobs, events and artifacts. */
  VIEWER,
  /** Also submits, cancels and retries its tenant's jobs. */
  SUBMITTER,
  /** Also manages keys, tenants and dead letters, sees every tenant, and reads stats. */
  ADMIN;

  public boolean includes(Role required) {
    return ordinal() >= required.ordinal();
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String value) {
    return Arrays.stream(values()).filter(r -> r.wire().equals(value)).findFirst();
  }
}
