package dev.kiln.gateway.events;

import dev.kiln.gateway.jobs.JobStatus;
import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.FieldError;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Opens SSE streams the same way for every resource: subscribe to live events first, replay from
 * the database after {@code Last-Event-ID}, then deliver the live buffer, skipping ids already
 * sent. Each frame carries {@code id:} (the stored event id), {@code event:} (the type) and {@code
 * data:} (a {@link StoredEvent}).
 */
@ApplicationScoped
public class EventStreams {

  private static final Logger LOG = Logger.getLogger(EventStreams.class);

  /** Reads stored events after an id into a subscription. */
  public interface Replay {
    void run(SseSubscription subscription) throws Exception;
  }

  @Inject SseHub hub;
  @Inject JobTypes jobTypes;

  /**
   * @param register adds the subscription to the hub's index and returns how to remove it
   */
  public SseSubscription open(
      SseEventSink sink,
      Sse sse,
      HttpServerResponse response,
      long lastEventId,
      Predicate<StoredEvent> filter,
      SseSubscription.EndRule endRule,
      Function<SseSubscription, Runnable> register,
      Replay replay) {
    // why: proxies such as nginx must pass frames through at once
    response.putHeader("X-Accel-Buffering", "no");
    response.putHeader("Cache-Control", "no-cache");
    Runnable[] unsubscribe = {() -> {}};
    SseSubscription subscription =
        new SseSubscription(
            SseWire.of(sink, sse, response),
            filter,
            endRule,
            lastEventId,
            () -> unsubscribe[0].run());
    // why open first: the head must be written before any other thread (the relay's retry hint
    // to every client, say) writes a frame to this response
    subscription.open();
    unsubscribe[0] = register.apply(subscription);
    // why: the replay runs after the resource method has returned: a stream that ends during
    // its replay (a finished job) must not close the response while the method still owns it,
    // and the request thread is free at once
    Thread.ofVirtual()
        .name("kiln-sse-replay")
        .start(
            () -> {
              try {
                replay.run(subscription);
                subscription.goLive();
              } catch (Exception e) {
                LOG.warnf("replay failed, closing stream: %s", e.toString());
                subscription.close();
              }
              if (subscription.isClosed()) {
                unsubscribe[0].run();
              }
            });
    return subscription;
  }

  public static long parseLastEventId(String header) {
    if (header == null || header.isBlank()) {
      return 0;
    }
    try {
      long id = Long.parseLong(header.trim());
      if (id >= 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ProblemException.validation(
        "Last-Event-ID must be an event id from this stream",
        List.of(new FieldError("Last-Event-ID", "INVALID_LAST_EVENT_ID", "not an event id")));
  }

  /** Filter for the all-jobs stream; unknown values are field errors. */
  public Predicate<StoredEvent> filter(String type, String status) {
    List<FieldError> errors = new ArrayList<>();
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
}
