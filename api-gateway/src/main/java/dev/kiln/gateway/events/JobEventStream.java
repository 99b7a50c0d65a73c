package dev.kiln.gateway.events;

import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.jobs.JobResource;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The live event stream of one job. */
@Path("/api/v1/jobs/{id}/events")
public class JobEventStream {

  @Inject EventStreams streams;
  @Inject SseHub hub;
  @Inject EventReplay replay;
  @Inject CurrentCaller caller;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Access(value = Role.VIEWER, streamToken = true)
  @Operation(
      summary =
          "Live events of one job; resumes after Last-Event-ID and ends after the job ends."
              + " Browsers may pass ?access_token= from POST .../stream-token instead of a key")
  public void stream(
      @PathParam("id") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServerResponse response)
      throws java.sql.SQLException {
    long after = EventStreams.parseLastEventId(lastEventId);
    Job job = JobResource.find(id, caller.get());
    UUID jobId = job.id;
    int attempt = job.attempt;
    if (after > 0 && job.status.terminal()) {
      long terminal = replay.terminalEventId(jobId, attempt);
      if (terminal > 0 && after >= terminal) {
        // why: an EventSource reconnecting after the last event would otherwise hold a stream
        // open forever; 204 tells it to stop
        throw new StreamComplete();
      }
    }
    // why: a retried job has the terminal event of its earlier attempt in its history; only the
    // end of the newest attempt ends the stream.
    SseSubscription.EndRule endsWithJob =
        (event, s) ->
            event.terminalType()
                && event.attempt() >= s.currentAttempt
                && event.job().status().terminal();
    streams.open(
        sink,
        sse,
        response,
        after,
        e -> true,
        endsWithJob,
        s -> {
          s.currentAttempt = attempt;
          return hub.subscribeJob(jobId, s);
        },
        s -> replay.job(jobId, after, s::replay));
  }
}
