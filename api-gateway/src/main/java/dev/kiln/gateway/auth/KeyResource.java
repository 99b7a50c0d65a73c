package dev.kiln.gateway.auth;

import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.problems.Problems;
import dev.kiln.gateway.tenants.Tenants;
import dev.kiln.model.jobtypes.FieldError;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** API keys, for admins: create (the token is shown once), list and revoke. */
@Path("/api/v1/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class KeyResource {

  /**
   * @param tenant the tenant the key acts for; created when it does not exist yet
   * @param role viewer, submitter or admin
   * @param name what the key is for, e.g. "recipe-app production"
   */
  public record CreateKey(String tenant, String role, String name) {}

  /**
   * A key as listed: never its token.
   *
   * @param prefix the token's first characters, which name it in logs and the audit log
   */
  public record KeyView(
      UUID id,
      String tenant,
      String role,
      String name,
      String prefix,
      Instant createdAt,
      String createdBy,
      Instant revokedAt) {
    static KeyView of(ApiKey key) {
      return new KeyView(
          key.id,
          key.tenantId,
          key.role,
          key.name,
          key.prefix,
          key.createdAt,
          key.createdBy,
          key.revokedAt);
    }
  }

  /**
   * @param key the token: store it now, it is never shown again
   */
  public record CreatedKey(KeyView details, String key) {}

  public record KeyList(List<KeyView> items) {}

  @Inject ApiKeys keys;
  @Inject CurrentCaller caller;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a key; the response holds the token, which is never shown again")
  public Response create(CreateKey request) {
    if (request == null) {
      throw new ProblemException(400, "MALFORMED_JSON", "Malformed JSON", "the body is empty");
    }
    ApiKeys.Created created =
        keys.create(request.tenant(), request.role(), request.name(), caller.get());
    return Response.created(URI.create("/api/v1/admin/keys/" + created.key().id))
        .header("Cache-Control", "no-store")
        .entity(new CreatedKey(KeyView.of(created.key()), created.token()))
        .build();
  }

  @GET
  @Operation(summary = "List keys, newest first, optionally of one tenant")
  public KeyList list(@QueryParam("tenant") String tenant) {
    if (tenant != null) {
      FieldError error = Tenants.checkId("tenant", tenant);
      if (error != null) {
        throw ProblemException.validation(error.message(), List.of(error));
      }
    }
    List<ApiKey> found =
        tenant == null
            ? ApiKey.list("order by createdAt desc")
            : ApiKey.list("tenantId = ?1 order by createdAt desc", tenant);
    return new KeyList(found.stream().map(KeyView::of).toList());
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Revoke a key; it stops working at once (on other replicas within 5 s)")
  public Response revoke(@PathParam("id") String id) {
    keys.revoke(Problems.parseUuid("key id", id), caller.get());
    return Response.noContent().build();
  }
}
