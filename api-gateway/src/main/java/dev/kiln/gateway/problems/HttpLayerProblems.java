package dev.kiln.gateway.problems;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Errors raised by the HTTP layer before a resource runs (body too large) also answer problem+json.
 */
@ApplicationScoped
public class HttpLayerProblems {

  @Inject ObjectMapper json;

  @ConfigProperty(name = "quarkus.http.limits.max-body-size")
  MemorySize maxBodySize;

  void install(@Observes Router router) {
    // why: refuse a declared oversize body before reading it, so the client gets the answer
    // instead of a reset while it is still sending.
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader("Content-Length");
              if (length != null && tooLarge(length)) {
                respond413(ctx);
              } else {
                ctx.next();
              }
            });
    router
        .route()
        .order(Integer.MIN_VALUE)
        .failureHandler(
            ctx -> {
              if (ctx.statusCode() != 413 || ctx.response().headWritten()) {
                ctx.next();
                return;
              }
              respond413(ctx);
            });
  }

  private boolean tooLarge(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > maxBodySize.asLongValue();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void respond413(RoutingContext ctx) {
    Problem problem =
        new ProblemException(
                413,
                "PAYLOAD_TOO_LARGE",
                "Payload too large",
                "the request body exceeds the limit of " + maxBodySize.asLongValue() + " bytes")
            .toProblem(ctx.request().path());
    try {
      ctx.response()
          .setStatusCode(413)
          .putHeader("Content-Type", Problem.MEDIA_TYPE)
          .putHeader("Connection", "close")
          .end(json.writeValueAsString(problem));
    } catch (Exception e) {
      ctx.fail(e);
    }
  }
}
