package dev.kiln.gateway.events;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.ContextInternal;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.Executor;

/** Where one client's frames go. */
interface SseWire {

  /** Writes the response head and a first comment; {@code done} hears when it is written. */
  void open(Handler<AsyncResult<Void>> done);

  /** Queues a frame after those queued before; {@code done} hears when it is written or failed. */
  void write(Buffer frame, Handler<AsyncResult<Void>> done);

  boolean isClosed();

  /** Ends the response after the frames queued so far. */
  void end();

  /** The event loop that owns the connection, or null when unknown. */
  default Executor loop() {
    return null;
  }

  /**
   * The framework's sink opens and ends the stream (the head, and the request's own cleanup), while
   * frames go straight to the Vert.x response. why: the sink serialises every frame through the
   * JAX-RS writers and chains a future per write, which made each client cost more than the event
   * itself; Vert.x keeps writes to one response in call order, so frames and the end never
   * interleave.
   */
  static SseWire of(SseEventSink sink, Sse sse, HttpServerResponse response) {
    // why from the current context: the request's (duplicated) context runs on the connection's
    // event loop, also when the resource method itself runs on a worker thread
    Context context = Vertx.currentContext();
    Executor loop =
        context instanceof ContextInternal internal && context.isEventLoopContext()
            ? internal.nettyEventLoop()
            : null;
    return new SseWire() {
      @Override
      public Executor loop() {
        return loop;
      }

      @Override
      public void open(Handler<AsyncResult<Void>> done) {
        sink.send(sse.newEventBuilder().comment("open").build())
            .whenComplete(
                (ok, error) ->
                    done.handle(
                        error == null ? Future.succeededFuture() : Future.failedFuture(error)));
      }

      @Override
      public void write(Buffer frame, Handler<AsyncResult<Void>> done) {
        response.write(frame, done);
      }

      @Override
      public boolean isClosed() {
        return sink.isClosed() || response.closed();
      }

      @Override
      public void end() {
        sink.close();
      }
    };
  }
}
