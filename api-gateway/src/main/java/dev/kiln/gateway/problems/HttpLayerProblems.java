package dev.kiln.gateway.problems;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Errors raised by the HTTP layer before a resource runs (body too large, a failure of a route
 * handler) also answer problem+json.
 */
@ApplicationScoped
public class HttpLayerProblems {

  private static final Logger LOG = Logger.getLogger(HttpLayerProblems.class);

  @Inject ObjectMapper json;

  @ConfigProperty(name = "quarkus.http.limits.max-body-size")
  MemorySize maxBodySize;

  /** Cap of non-multipart (JSON) request bodies, {@code kiln.http.max-json-body}. */
  @ConfigProperty(name = "kiln.http.max-json-body", defaultValue = "1M")
  MemorySize maxJsonBody;

  void install(@Observes Router router) {
    // why: refuse a declared oversize body before reading it, so the client gets the answer
    // instead of a reset while it is still sending.
    router
        .route()
        .order(Integer.MIN_VALUE)
        .handler(
            ctx -> {
              String length = ctx.request().getHeader("Content-Length");
              boolean multipart = isMultipart(ctx);
              long limit = multipart ? maxBodySize.asLongValue() : maxJsonBody.asLongValue();
              if (length != null && tooLarge(length, limit)) {
                respond413(ctx, limit);
              } else if (length == null && !multipart && hasBody(ctx)) {
                // why: JSON is parsed in memory; without a declared length its size is only
                // known after it was buffered, so such bodies must declare it
                respond(
                    ctx,
                    new ProblemException(
                        411,
                        "LENGTH_REQUIRED",
                        "Length required",
                        "send Content-Length with JSON bodies (chunked JSON is not accepted)"));
              } else {
                ctx.next();
              }
            });
    router
        .route()
        .order(Integer.MIN_VALUE)
        .failureHandler(
            ctx -> {
              if (ctx.response().headWritten()) {
                ctx.next();
              } else if (ctx.statusCode() == 413) {
                respond413(ctx, maxBodySize.asLongValue());
              } else if (ctx.statusCode() >= 500 || ctx.statusCode() < 0) {
                respondInternal(ctx);
              } else {
                ctx.next();
              }
            });
  }

  /**
   * A failure in the HTTP layer itself, outside any resource (whose errors {@code ProblemMappers}
   * answers): problem+json like every other error, with an id to quote and the stack trace only in
   * the log. why: Quarkus's own handler would answer its own JSON shape instead.
   */
  private void respondInternal(RoutingContext ctx) {
    String errorId = UUID.randomUUID().toString();
    LOG.errorf(
        ctx.failure(),
        "unhandled error %s on %s %s",
        errorId,
        ctx.request().method(),
        ctx.request().path());
    respond(ctx, ProblemException.internal(errorId));
  }

  private static boolean tooLarge(String contentLength, long limit) {
    try {
      return Long.parseLong(contentLength.trim()) > limit;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isMultipart(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
  }

  private static boolean hasBody(RoutingContext ctx) {
    String encoding = ctx.request().getHeader("Transfer-Encoding");
    return encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
  }

  private void respond413(RoutingContext ctx, long limit) {
    respond(
        ctx,
        new ProblemException(
            413,
            "PAYLOAD_TOO_LARGE",
            "Payload too large",
            "the request body exceeds the limit of " + limit + " bytes"));
  }

  private void respond(RoutingContext ctx, ProblemException exception) {
    Problem problem = exception.toProblem(ctx.request().path());
    try {
      ctx.response()
          .setStatusCode(problem.status())
          .putHeader("Content-Type", Problem.MEDIA_TYPE)
          .putHeader("Connection", "close")
          .end(json.writeValueAsString(problem));
    } catch (Exception e) {
      ctx.fail(e);
    }
  }
}
