package dev.kiln.worker.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.json.KilnJson;
import dev.kiln.worker.pipeline.EventSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The events of one job run on their way to the broker. Publishing never blocks on the broker;
 * {@link #awaitConfirmed} is the one place that waits, right before the job message is acked.
 */
public final class ConfirmedEventSink implements EventSink {

  private static final Logger LOG = Logger.getLogger(ConfirmedEventSink.class);
  private static final long REPUBLISH_BACKOFF_MS = 500;

  /** Publishes one job event; the future completes when the broker confirmed it. */
  @FunctionalInterface
  public interface EventChannel {
    CompletableFuture<Void> publishEvent(String routingKey, String eventId, byte[] body);
  }

  private record Pending(JobEvent event, byte[] body, CompletableFuture<Void> confirmed) {}

  private final EventChannel channel;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  public ConfirmedEventSink(EventChannel channel) {
    this.channel = channel;
  }

  @Override
  public void emit(JobEvent event) {
    byte[] body;
    try {
      body = KilnJson.mapper().writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("job event is not serialisable", e);
    }
    CompletableFuture<Void> confirmed = publish(event, body);
    synchronized (this) {
      // why: a long job emits thousands of progress events; keep only those still in doubt
      while (!pending.isEmpty() && isConfirmed(pending.peekFirst().confirmed())) {
        pending.pollFirst();
      }
      pending.addLast(new Pending(event, body, confirmed));
    }
  }

  /**
   * Waits until the broker confirmed every event of the run, republishing lost ones (same event id,
   * so consumers drop duplicates) until {@code timeout}.
   *
   * @return true when all events are confirmed: only then may the job message be acked
   */
  public boolean awaitConfirmed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Pending> snapshot;
      synchronized (this) {
        snapshot = new ArrayList<>(pending);
      }
      List<Pending> lost = new ArrayList<>();
      for (Pending p : snapshot) {
        long left = deadline - System.nanoTime();
        try {
          p.confirmed().get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          lost.add(p);
        } catch (TimeoutException e) {
          return false;
        }
      }
      synchronized (this) {
        pending.removeIf(p -> isConfirmed(p.confirmed()));
      }
      if (lost.isEmpty()) {
        return true;
      }
      if (deadline - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(REPUBLISH_BACKOFF_MS)) {
        return false;
      }
      // why: a lost confirm usually means the channel is recovering; give it a moment
      Thread.sleep(REPUBLISH_BACKOFF_MS);
      LOG.infof("republishing %d unconfirmed event(s)", lost.size());
      synchronized (this) {
        for (Pending p : lost) {
          pending.remove(p);
          pending.addLast(new Pending(p.event(), p.body(), publish(p.event(), p.body())));
        }
      }
    }
  }

  private CompletableFuture<Void> publish(JobEvent event, byte[] body) {
    return channel.publishEvent(event.type(), event.eventId().toString(), body);
  }

  private static boolean isConfirmed(CompletableFuture<Void> f) {
    return f.isDone() && !f.isCompletedExceptionally();
  }
}
