package dev.kiln.gateway.events;

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
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Every job's events, for dashboards. */
@Path("/api/v1/events")
public class AllEventStream {

  @Inject EventStreams streams;
  @Inject SseHub hub;
  @Inject EventReplay replay;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      summary =
          "Live events of all jobs, filtered by job type and by the job's status after the event")
  public void stream(
      @QueryParam("type") String type,
      @QueryParam("status") String status,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServerResponse response) {
    long after = EventStreams.parseLastEventId(lastEventId);
    streams.open(
        sink,
        sse,
        response,
        after,
        streams.filter(type, status),
        (e, s) -> false,
        hub::subscribeAll,
        s -> {
          // why: without Last-Event-ID a dashboard wants what happens from now on, not history
          if (lastEventId != null) {
            replay.all(after, s::replay);
          }
        });
  }
}
