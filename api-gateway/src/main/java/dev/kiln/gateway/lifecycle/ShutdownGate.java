package dev.kiln.gateway.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.events.SseHub;
import dev.kiln.gateway.problems.Problem;
import dev.kiln.gateway.problems.ProblemException;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown, in this order:
 *
 * <ol>
 *   <li>On SIGTERM readiness goes DOWN at once, and the gateway keeps serving for {@code
 *       quarkus.shutdown.delay}, the time load balancers need to stop sending it traffic.
 *   <li>Then new API requests get 503 problem+json with {@code Retry-After} (health and metrics
 *       still answer), and every SSE stream ends with a {@code retry:} hint, so its client resumes
 *       with Last-Event-ID on another replica.
 *   <li>Requests in flight finish, for up to {@code quarkus.shutdown.timeout}; only then do the
 *       broker consumers, the outbox relay and the rest stop.
 * </ol>
 *
 * <p>The streams must end in step 2: an open stream is a request in flight, and waiting for it
 * would use the whole timeout before the application's own shutdown even began.
 */
@ApplicationScoped
public class ShutdownGate {

  private static final Logger LOG = Logger.getLogger(ShutdownGate.class);

  /** Seconds a refused client should wait before trying again (another replica answers). */
  static final String RETRY_AFTER_SECONDS = "2";

  @Inject SseHub hub;
  @Inject ObjectMapper json;

  @ConfigProperty(name = "quarkus.shutdown.delay")
  Optional<Duration> delay;

  private volatile boolean draining;
  private volatile boolean refusing;

  void onShutdownRequested(@Observes ShutdownDelayInitiatedEvent event) {
    drain(delay.orElse(Duration.ZERO));
  }

  /** A fallback when the delay phase did not run (e.g. in dev mode): refuse before stopping. */
  void onShutdown(@Observes @Priority(0) ShutdownEvent event) {
    draining = true;
    refuse();
  }

  /** Readiness DOWN now; new API requests refused and streams ended after {@code lbDelay}. */
  public void drain(Duration lbDelay) {
    draining = true;
    LOG.infof(
        "shutting down: readiness DOWN, refusing new API requests in %d ms", lbDelay.toMillis());
    if (lbDelay.isZero() || lbDelay.isNegative()) {
      refuse();
      return;
    }
    Thread.ofVirtual()
        .name("kiln-shutdown-delay")
        .start(
            () -> {
              try {
                Thread.sleep(lbDelay);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              refuse();
            });
  }

  private void refuse() {
    if (!refusing) {
      refusing = true;
      hub.closeAllForShutdown();
    }
  }

  public boolean draining() {
    return draining;
  }

  public boolean refusing() {
    return refusing;
  }

  /** Serving again; only tests call this, after playing a shutdown. */
  void reopen() {
    draining = false;
    refusing = false;
  }

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 1).handler(this::gate);
  }

  private void gate(RoutingContext ctx) {
    if (!refusing || !ctx.request().path().startsWith("/api/")) {
      ctx.next();
      return;
    }
    Problem problem =
        new ProblemException(
                503,
                "SHUTTING_DOWN",
                "Shutting down",
                "this gateway replica is shutting down; retry, another replica will answer")
            .toProblem(ctx.request().path());
    try {
      ctx.response()
          .setStatusCode(503)
          .putHeader("Content-Type", Problem.MEDIA_TYPE)
          .putHeader("Retry-After", RETRY_AFTER_SECONDS)
          .putHeader("Connection", "close")
          .end(json.writeValueAsString(problem));
    } catch (Exception e) {
      ctx.fail(e);
    }
  }

  /** DOWN from the moment shutdown begins, so no new traffic is routed here. */
  @Readiness
  @ApplicationScoped
  public static class ShutdownCheck implements HealthCheck {
    @Inject ShutdownGate gate;

    @Override
    public HealthCheckResponse call() {
      return HealthCheckResponse.named("shutdown").status(!gate.draining()).build();
    }
  }
}
