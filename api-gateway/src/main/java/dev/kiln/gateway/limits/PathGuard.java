package dev.kiln.gateway.limits;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.problems.Problem;
import dev.kiln.gateway.problems.ProblemException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;

/**
 * Refuses request paths that try to step out of where they point: dot segments (also
 * percent-encoded), encoded slashes and backslashes, NUL and other controls. No Kiln path needs
 * them (ids are UUIDs, names are single safe segments), and the router would otherwise normalise
 * {@code /jobs/{id}/artifacts/%2e%2e} into another resource, or hand a decoded {@code ../} to a
 * resource as part of one parameter.
 */
@ApplicationScoped
public class PathGuard {

  @Inject ObjectMapper json;

  void install(@Observes Router router) {
    router
        .route()
        .order(Integer.MIN_VALUE + 1)
        .handler(
            ctx -> {
              String path = ctx.request().path();
              if (path != null && !isClean(path)) {
                refuse(ctx);
              } else {
                ctx.next();
              }
            });
  }

  /** Whether a raw (still encoded) request path is free of traversal tricks. */
  static boolean isClean(String rawPath) {
    String lower = rawPath.toLowerCase(Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")) {
      return false;
    }
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        return false;
      }
    }
    for (String segment : lower.replace("%2e", ".").split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private void refuse(RoutingContext ctx) {
    Problem problem =
        new ProblemException(
                400,
                "INVALID_PATH",
                "Invalid path",
                "the path holds dot segments, encoded separators or control characters")
            .toProblem("");
    try {
      ctx.response()
          .setStatusCode(400)
          .putHeader("Content-Type", Problem.MEDIA_TYPE)
          .end(json.writeValueAsString(problem));
    } catch (Exception e) {
      ctx.fail(e);
    }
  }
}
