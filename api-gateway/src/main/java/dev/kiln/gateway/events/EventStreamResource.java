package dev.kiln.gateway.events;

import dev.kiln.gateway.batches.Batch;
import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.jobs.JobStatus;
import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.problems.Problems;
import dev.kiln.model.jobtypes.FieldError;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * Server-Sent Event streams. Each frame carries {@code id:} (the stored event id), {@code event:}
 * (the type) and {@code data:} (a {@link StoredEvent}). Send {@code Last-Event-ID} to resume: the
 * stream replays what came after it from the database, then goes live, with no gap or duplicate.
 */
@Path("/api/v1")
public class EventStreamResource {

  private static final Logger LOG = Logger.getLogger(EventStreamResource.class);

  @Inject SseHub hub;
  @Inject EventReplay replay;
  @Inject JobTypes jobTypes;

  @GET
  @Path("/jobs/{id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "Live events of one job; ends after its terminal event")
  public void jobEvents(
      @PathParam("id") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServerResponse response) {
    UUID jobId = Problems.parseUuid("job id", id);
    long after = parseLastEventId(lastEventId);
    Job job = Job.findById(jobId);
    if (job == null) {
      throw ProblemException.notFound("JOB_NOT_FOUND", "Job", jobId);
    }
    noBuffering(response);
    SseSubscription.EndRule endsWithJob =
        (event, s) ->
            event.terminalType()
                && event.attempt() >= s.currentAttempt
                && event.job().status().terminal();
    Holder holder = new Holder();
    SseSubscription subscription =
        new SseSubscription(
            sink, sse, e -> true, endsWithJob, after, () -> holder.unsubscribe.run());
    subscription.currentAttempt = job.attempt;
    holder.unsubscribe = hub.subscribeJob(jobId, subscription);
    start(subscription, () -> replay.job(jobId, after, subscription::replay));
  }

  @GET
  @Path("/batches/{id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "Live events of every job of a batch; ends when all have ended")
  public void batchEvents(
      @PathParam("id") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServerResponse response) {
    UUID batchId = Problems.parseUuid("batch id", id);
    long after = parseLastEventId(lastEventId);
    if (Batch.findById(batchId) == null) {
      throw ProblemException.notFound("BATCH_NOT_FOUND", "Batch", batchId);
    }
    noBuffering(response);
    SseSubscription.EndRule endsWithBatch =
        (event, s) -> {
          if (event.terminalType()) {
            // why: the finished check reads the database; keep it off the relay thread
            Thread.startVirtualThread(() -> closeIfFinished(batchId, s));
          }
          return false;
        };
    Holder holder = new Holder();
    SseSubscription subscription =
        new SseSubscription(
            sink, sse, e -> true, endsWithBatch, after, () -> holder.unsubscribe.run());
    holder.unsubscribe = hub.subscribeBatch(batchId, subscription);
    start(subscription, () -> replay.batch(batchId, after, subscription::replay));
    closeIfFinished(batchId, subscription);
  }

  @GET
  @Path("/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "Live events of all jobs, optionally filtered by job type and status")
  public void allEvents(
      @QueryParam("type") String type,
      @QueryParam("status") String status,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServerResponse response) {
    long after = parseLastEventId(lastEventId);
    Predicate<StoredEvent> filter = filter(type, status);
    noBuffering(response);
    Holder holder = new Holder();
    SseSubscription subscription =
        new SseSubscription(
            sink, sse, filter, (e, s) -> false, after, () -> holder.unsubscribe.run());
    holder.unsubscribe = hub.subscribeAll(subscription);
    start(
        subscription, () -> lastEventId == null ? after : replay.all(after, subscription::replay));
  }

  /** Late-bound unsubscribe, since the subscription exists before it is registered. */
  private static final class Holder {
    volatile Runnable unsubscribe = () -> {};
  }

  private interface Replay {
    long run() throws Exception;
  }

  private static void start(SseSubscription subscription, Replay replay) {
    try {
      replay.run();
      subscription.goLive();
    } catch (Exception e) {
      LOG.warnf("replay failed, closing stream: %s", e.toString());
      subscription.close();
    }
  }

  private void closeIfFinished(UUID batchId, SseSubscription subscription) {
    try {
      if (replay.batchFinished(batchId)) {
        subscription.close();
      }
    } catch (Exception e) {
      LOG.debugf("batch finished check failed: %s", e);
    }
  }

  private Predicate<StoredEvent> filter(String type, String status) {
    List<FieldError> errors = new java.util.ArrayList<>();
    if (type != null && !jobTypes.names().contains(type)) {
      errors.add(
          new FieldError(
              "type", "UNKNOWN_JOB_TYPE", "valid types: " + String.join(", ", jobTypes.names())));
    }
    JobStatus wanted = status == null ? null : JobStatus.parse(status).orElse(null);
    if (status != null && wanted == null) {
      errors.add(
          new FieldError(
              "status",
              "NOT_IN_ENUM",
              "must be one of: queued, running, succeeded, failed, cancelled"));
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation("invalid query parameters", errors);
    }
    return e ->
        (type == null || type.equals(e.jobType()))
            && (wanted == null || (e.job() != null && e.job().status() == wanted));
  }

  private static long parseLastEventId(String header) {
    if (header == null || header.isBlank()) {
      return 0;
    }
    try {
      long id = Long.parseLong(header.trim());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through to the problem below
    }
    throw ProblemException.validation(
        "Last-Event-ID must be an event id from this stream",
        List.of(new FieldError("Last-Event-ID", "INVALID_LAST_EVENT_ID", "not an event id")));
  }

  private static void noBuffering(HttpServerResponse response) {
    // why: proxies such as nginx must pass frames through at once
    response.putHeader("X-Accel-Buffering", "no");
    response.putHeader("Cache-Control", "no-cache");
  }
}
