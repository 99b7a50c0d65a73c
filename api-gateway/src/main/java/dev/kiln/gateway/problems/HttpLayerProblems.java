package dev.kiln.gateway.problems;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Errors raised by the HTTP layer before a resource runs (body too large) also answer problem+json.
 */
@ApplicationScoped
public class HttpLayerProblems {

  @Inject ObjectMapper json;

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE)
        .failureHandler(
            ctx -> {
              if (ctx.statusCode() != 413 || ctx.response().headWritten()) {
                ctx.next();
                return;
              }
              Problem problem =
                  new ProblemException(
                          413,
                          "PAYLOAD_TOO_LARGE",
                          "Payload too large",
                          "the request body exceeds the configured limit")
                      .toProblem(ctx.request().path());
              try {
                ctx.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close")
                    .end(json.writeValueAsString(problem));
              } catch (Exception e) {
                ctx.next();
              }
            });
  }
}
