package dev.kiln.gateway.events;

import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.Caller;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.auth.Role;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.function.Predicate;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Every job's events, for dashboards. */
@Path("/api/v1/events")
@Access(Role.VIEWER)
public class AllEventStream {

  @Inject EventStreams streams;
  @Inject SseHub hub;
  @Inject EventReplay replay;
  @Inject CurrentCaller current;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      summary =
          "Live events of all the tenant's jobs (admins: every tenant's), filtered by job type"
              + " and by the job's status after the event")
  public void stream(
      @QueryParam("type") String type,
      @QueryParam("status") String status,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServerResponse response) {
    long after = EventStreams.parseLastEventId(lastEventId);
    // why: captured here; the filter runs later on relay threads, outside this request
    Caller caller = current.get();
    Predicate<StoredEvent> visible = e -> caller.sees(e.tenant());
    streams.open(
        sink,
        sse,
        response,
        after,
        streams.filter(type, status).and(visible),
        (e, s) -> false,
        s -> hub.subscribeAll(caller.isAdmin() ? null : caller.tenantId(), s),
        s -> {
          // why: without Last-Event-ID a dashboard wants what happens from now on, not history
          if (lastEventId != null) {
            if (caller.isAdmin()) {
              replay.all(after, s::replay);
            } else {
              replay.tenant(caller.tenantId(), after, s::replay);
            }
          }
        });
  }
}
