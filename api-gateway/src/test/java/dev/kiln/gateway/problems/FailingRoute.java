package dev.kiln.gateway.problems;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A route that fails in the HTTP layer, outside any resource; it exists only in the test
 * application (this class is in the test sources), so {@link HttpLayerFailureTest} can see how such
 * a failure is answered.
 */
@ApplicationScoped
public class FailingRoute {

  static final String PATH = "/test/failing-route";

  void install(@Observes Router router) {
    router
        .get(PATH)
        .handler(ctx -> ctx.fail(new IllegalStateException("secret detail of the failure")));
  }
}
