package dev.kiln.gateway.events;

import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.batches.Batch;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.problems.Problems;
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
import java.sql.SQLException;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/** The events of every job of a batch, in one stream. */
@Path("/api/v1/batches/{id}/events")
@Access(Role.VIEWER)
public class BatchEventStream {

  private static final Logger LOG = Logger.getLogger(BatchEventStream.class);

  @Inject EventStreams streams;
  @Inject SseHub hub;
  @Inject EventReplay replay;
  @Inject CurrentCaller caller;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(summary = "Live events of every job of a batch; ends when all of them have ended")
  public void stream(
      @PathParam("id") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServerResponse response)
      throws SQLException {
    UUID batchId = Problems.parseUuid("batch id", id);
    long after = EventStreams.parseLastEventId(lastEventId);
    Batch batch = Batch.findById(batchId);
    if (batch == null || !caller.get().sees(batch.tenantId)) {
      throw ProblemException.notFound("BATCH_NOT_FOUND", "Batch", batchId);
    }
    if (after > 0 && replay.batchFinished(batchId) && after >= replay.lastBatchEventId(batchId)) {
      throw new StreamComplete();
    }
    CoalescingCheck[] check = new CoalescingCheck[1];
    SseSubscription.EndRule checkOnJobEnd =
        (event, s) -> {
          if (event.terminalType()) {
            // why: the finished check reads the database; keep it off the relay thread, and
            // coalesce the checks of a burst of job ends into one or two
            check[0].request();
          }
          return false;
        };
    streams.open(
        sink,
        sse,
        response,
        after,
        e -> true,
        checkOnJobEnd,
        s -> {
          check[0] = new CoalescingCheck(() -> closeIfFinished(batchId, s));
          return hub.subscribeBatch(batchId, s);
        },
        s -> {
          replay.batch(batchId, after, s::replay);
          check[0].request();
        });
  }

  /**
   * The database may be ahead of this replica's relay: when the batch is finished, send what was
   * stored after the last frame sent, then end the stream.
   */
  private void closeIfFinished(UUID batchId, SseSubscription subscription) {
    try {
      if (!subscription.isClosed() && replay.batchFinished(batchId)) {
        replay.batch(batchId, subscription.lastSentId(), subscription::replay);
        subscription.close();
      }
    } catch (Exception e) {
      LOG.debugf("batch finished check failed: %s", e);
    }
  }
}
