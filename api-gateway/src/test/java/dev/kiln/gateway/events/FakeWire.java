package dev.kiln.gateway.events;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** A client connection whose writes complete when the test says so. */
final class FakeWire implements SseWire {
  final List<Buffer> frames = new ArrayList<>();
  final List<Handler<AsyncResult<Void>>> pending = new ArrayList<>();
  boolean ended;
  java.util.concurrent.Executor loop;

  @Override
  public java.util.concurrent.Executor loop() {
    return loop;
  }

  @Override
  public void open(Handler<AsyncResult<Void>> done) {
    done.handle(Future.succeededFuture());
  }

  @Override
  public void write(Buffer frame, Handler<AsyncResult<Void>> done) {
    if (ended) {
      throw new IllegalStateException("Response has already been written");
    }
    frames.add(frame);
    pending.add(done);
  }

  @Override
  public boolean isClosed() {
    return ended;
  }

  @Override
  public void end() {
    ended = true;
  }

  void completeAll() {
    pending.forEach(h -> h.handle(Future.succeededFuture()));
    pending.clear();
  }

  List<String> text() {
    return frames.stream().map(Buffer::toString).toList();
  }

  List<Long> ids() {
    return text().stream()
        .filter(t -> t.startsWith("id:"))
        .map(t -> Long.parseLong(t.substring(3, t.indexOf('\n'))))
        .toList();
  }
}
