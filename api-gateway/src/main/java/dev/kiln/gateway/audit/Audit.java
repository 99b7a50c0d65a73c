package dev.kiln.gateway.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.gateway.auth.Caller;
import dev.kiln.model.json.KilnJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;

/**
 * Records who did what and when. Called inside the transaction of the change it records, so an
 * entry exists exactly when the change committed.
 */
@ApplicationScoped
public class Audit {

  /** The actor of changes the gateway makes by itself (watchdog, bootstrap). */
  public static final String SYSTEM = "system";

  @Transactional(Transactional.TxType.MANDATORY)
  public void record(
      Caller actor, String action, String target, String tenantId, Map<String, ?> details) {
    AuditEntry entry = new AuditEntry();
    entry.at = Instant.now();
    entry.actor = actor == null ? SYSTEM : actor.actor();
    entry.actorTenant = actor == null ? null : actor.tenantId();
    entry.action = action;
    entry.target = target;
    entry.tenantId = tenantId;
    try {
      entry.details = details.isEmpty() ? null : KilnJson.mapper().writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    entry.persist();
  }
}
