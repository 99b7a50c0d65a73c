package dev.kiln.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.FieldError;
import dev.kiln.model.json.KilnJson;
import io.quarkus.panache.common.Parameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The audit log, for admins, newest first. */
@Path("/api/v1/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class AuditResource {

  static final int MAX_LIMIT = 200;

  /**
   * @param actor the acting key's prefix, or {@code system}
   * @param tenant the tenant whose thing was acted on
   */
  public record Entry(
      long id,
      Instant at,
      String actor,
      String actorTenant,
      String action,
      String target,
      String tenant,
      JsonNode details) {}

  /**
   * @param nextCursor pass as {@code cursor} for older entries; null on the last page
   */
  public record Page(List<Entry> items, String nextCursor) {}

  @GET
  @Operation(summary = "Audited actions newest first, optionally of one action or tenant")
  public Page list(
      @QueryParam("action") String action,
      @QueryParam("tenant") String tenant,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    List<FieldError> errors = new ArrayList<>();
    long size = parse(limit, 50);
    if (size < 1 || size > MAX_LIMIT) {
      errors.add(new FieldError("limit", "OUT_OF_RANGE", "must be between 1 and " + MAX_LIMIT));
    }
    long before = cursor == null ? Long.MAX_VALUE : parse(cursor, -1);
    if (before < 1) {
      errors.add(new FieldError("cursor", "INVALID_CURSOR", "use nextCursor from a previous page"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation("invalid query parameters", errors);
    }
    StringBuilder query = new StringBuilder("id < :before");
    Parameters params = Parameters.with("before", before);
    if (action != null) {
      query.append(" and action = :action");
      params.and("action", action);
    }
    if (tenant != null) {
      query.append(" and tenantId = :tenant");
      params.and("tenant", tenant);
    }
    List<AuditEntry> rows =
        AuditEntry.<AuditEntry>find(query + " order by id desc", params)
            .page(0, (int) size + 1)
            .list();
    boolean more = rows.size() > size;
    List<AuditEntry> page = more ? rows.subList(0, (int) size) : rows;
    return new Page(
        page.stream().map(AuditResource::entry).toList(),
        more ? String.valueOf(page.get(page.size() - 1).id) : null);
  }

  private static Entry entry(AuditEntry e) {
    JsonNode details;
    try {
      details = e.details == null ? null : KilnJson.mapper().readTree(e.details);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      details = null;
    }
    return new Entry(e.id, e.at, e.actor, e.actorTenant, e.action, e.target, e.tenantId, details);
  }

  private static long parse(String value, long fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
