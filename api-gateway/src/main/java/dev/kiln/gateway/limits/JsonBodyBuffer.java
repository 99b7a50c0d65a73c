package dev.kiln.gateway.limits;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/**
 * Reads a JSON request body into memory on the event loop before the resource is dispatched.
 *
 * <p>why: Quarkus REST buffers bodies ahead only for non-blocking resources. A blocking resource
 * (every Kiln resource that writes to the database) otherwise reads its body on the worker thread
 * through a blocking stream, which hands each chunk and the end of the body from the event loop to
 * the worker under a shared monitor; profiled at 500 submits/s that hand-off was a quarter of the
 * gateway's CPU. A JSON body here is already known to be small: {@code HttpLayerProblems} refused
 * it unless it declared a length within {@code kiln.http.max-json-body}. HTTP/2 requests and other
 * bodies (multipart uploads) are left to stream.
 */
@ApplicationScoped
public class JsonBodyBuffer {

  void install(@Observes Router router) {
    router
        .route()
        // why: after the length check and the path guard, so only bodies they let through are read
        .order(Integer.MIN_VALUE + 2)
        .handler(
            ctx -> {
              if (!declaresJsonBody(ctx)) {
                ctx.next();
                return;
              }
              // why: a client that waits for 100 Continue would otherwise wait out its timeout
              // before sending the body this handler is waiting for
              if ("100-continue"
                  .equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT.toString()))) {
                ctx.response().writeContinue();
              }
              // why: the HTTP server hands the request over paused; nothing arrives until resumed
              ctx.request().resume();
              ctx.request()
                  .body()
                  .onComplete(
                      read -> {
                        if (read.succeeded()) {
                          ctx.setBody(read.result());
                          ctx.next();
                        } else {
                          ctx.fail(read.cause());
                        }
                      });
            });
  }

  /**
   * {@code application/json} or a {@code +json} type, parameters aside. why: only JSON resources
   * read the buffered body; a form or multipart body must stay unread for the handlers that parse
   * it.
   */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }

  /** A JSON body with a declared, non-zero length that nothing has read yet. */
  static boolean declaresJsonBody(RoutingContext ctx) {
    if (ctx.request().isEnded() || ctx.body().buffer() != null) {
      return false;
    }
    // why: Quarkus REST pauses the request when it takes it over, and an HTTP/2 stream refuses a
    // pause once its body has been read ("Request has already been read"); HTTP/2 bodies keep the
    // blocking stream
    if (ctx.request().version() == HttpVersion.HTTP_2) {
      return false;
    }
    if (!isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE.toString()))) {
      return false;
    }
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH.toString());
    try {
      return length != null && Long.parseLong(length.trim()) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
