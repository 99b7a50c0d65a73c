package dev.kiln.gateway.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.kiln.gateway.jobs.JobMetrics;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.gateway.messaging.BrokerConfig;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.broker.TraceHeaders;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.events.JobEventBatch;
import dev.kiln.model.json.KilnJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Consumes {@code kiln.events.store} and writes events in batches: whatever arrived while the
 * previous batch was being written becomes the next batch, so a busy system writes big batches and
 * an idle one answers at once. The broker prefetch bounds how much is buffered.
 *
 * <p>A batch is acknowledged only after it is committed and relayed to every replica, with one
 * multiple-ack. A failed write keeps the batch and retries; the events stay unacknowledged in the
 * broker meanwhile.
 */
@ApplicationScoped
public class EventIngestor {

  private static final Logger LOG = Logger.getLogger(EventIngestor.class);

  /** why: just long enough to gather events emitted together, short against the relay budget. */
  private static final long LINGER_MS = 2;

  /** One event message; {@code trace} is the span that emitted it, invalid when it names none. */
  /**
   * @param batch the body is a {@link JobEventBatch} rather than one {@link JobEvent}
   */
  private record Delivery(
      Channel channel, long tag, byte[] body, boolean batch, SpanContext trace) {}

  @Inject Broker broker;
  @Inject BrokerConfig config;
  @Inject EventStore store;
  @Inject RelayPublisher relay;
  @Inject JobMetrics metrics;
  @Inject MeterRegistry registry;
  @Inject dev.kiln.gateway.storage.ObjectStore objects;
  @Inject Tracer tracer;

  private BlockingQueue<Delivery> inbox;
  private volatile boolean running = true;
  private volatile java.time.Instant lastFailure = java.time.Instant.EPOCH;
  private Thread writer;

  private Counter rejected;
  private Counter duplicateEnds;
  private Counter afterEnd;

  void start(@Observes StartupEvent event) {
    rejected = registry.counter("kiln_events_rejected_total");
    duplicateEnds = registry.counter("kiln_events_duplicate_terminal_total");
    afterEnd = registry.counter("kiln_events_after_end_total");
    inbox = new ArrayBlockingQueue<>(config.eventPrefetch() + 1);
    writer = Thread.ofPlatform().daemon().name("kiln-event-writer").start(this::writeLoop);
    broker.onConnected(this::consume);
  }

  private void consume(Connection connection) {
    try {
      Channel channel = connection.createChannel();
      channel.basicQos(config.eventPrefetch());
      channel.basicConsume(
          Topology.EVENTS_STORE_QUEUE,
          false,
          "kiln-store-" + broker.instanceId(),
          new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                throws IOException {
              // why: never blocks; the prefetch keeps the inbox from filling up
              SpanContext trace =
                  Span.fromContext(TraceHeaders.extract(props.getHeaders())).getSpanContext();
              boolean batch = JobEventBatch.CONTENT_TYPE.equals(props.getContentType());
              if (!inbox.offer(
                  new Delivery(channel, envelope.getDeliveryTag(), body, batch, trace))) {
                channel.basicNack(envelope.getDeliveryTag(), false, true);
              }
            }
          });
    } catch (IOException e) {
      LOG.error("cannot consume the event queue", e);
    }
  }

  private void writeLoop() {
    while (running) {
      try {
        Delivery first = inbox.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        List<Delivery> batch = new ArrayList<>();
        batch.add(first);
        inbox.drainTo(batch);
        if (batch.size() < config.eventPrefetch()) {
          Delivery more = inbox.poll(LINGER_MS, TimeUnit.MILLISECONDS);
          if (more != null) {
            batch.add(more);
            inbox.drainTo(batch);
          }
        }
        try {
          process(batch);
        } catch (RuntimeException e) {
          // why: acked by the next batch's multiple-ack, these deliveries would be lost unseen;
          // returned, they come back after a pause (a bug here must not eat events)
          LOG.error("event writer failed; returning the batch to the queue", e);
          requeue(batch);
          Thread.sleep(1000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void requeue(List<Delivery> batch) {
    Delivery last = batch.get(batch.size() - 1);
    try {
      last.channel().basicNack(last.tag(), true, true);
    } catch (IOException | RuntimeException e) {
      LOG.debugf("nack failed: %s", e);
    }
  }

  /**
   * Stores and relays a batch under one {@code event relay} span linked to the worker spans (job or
   * stage) that emitted its events, each once. why links and not a span per event: a batch mixes
   * many jobs' traces, and one span per batch keeps tracing cheap on the hot path.
   */
  private void process(List<Delivery> batch) throws InterruptedException {
    SpanBuilder builder =
        tracer
            .spanBuilder("event relay")
            .setSpanKind(SpanKind.CONSUMER)
            .setNoParent()
            .setAttribute("messaging.batch.message_count", batch.size());
    Set<SpanContext> runs = new LinkedHashSet<>();
    for (Delivery d : batch) {
      if (d.trace().isValid() && runs.add(d.trace())) {
        builder.addLink(d.trace());
      }
    }
    Span span = builder.startSpan();
    try (Scope scope = span.makeCurrent()) {
      processTraced(batch);
    } finally {
      span.end();
    }
  }

  private void processTraced(List<Delivery> batch) throws InterruptedException {
    List<JobEvent> events = new ArrayList<>(batch.size());
    for (Delivery d : batch) {
      try {
        List<JobEvent> read =
            d.batch()
                ? KilnJson.mapper().readValue(d.body(), JobEventBatch.class).events()
                : List.of(KilnJson.mapper().readValue(d.body(), JobEvent.class));
        for (JobEvent e : read) {
          if (e == null || e.eventId() == null || e.jobId() == null || e.payload() == null) {
            // why: a body of another shape (a batch read as one event by an older gateway, say)
            // parses into an event without its identity; it can only be dropped
            throw new IOException("not a job event: eventId, jobId and payload are required");
          }
        }
        events.addAll(read);
      } catch (IOException | RuntimeException e) {
        LOG.warnf("dropping unreadable event: %s", e.getMessage());
      }
    }
    long backoffMs = 200;
    while (running) {
      try {
        store(events);
        ack(batch);
        return;
      } catch (Exception e) {
        if (!Failures.isTransient(e)) {
          // why: a batch the database refuses for its content would otherwise block the queue
          // forever; write its events one by one and set aside only the ones refused.
          LOG.errorf(e, "batch of %d events refused, storing them one by one", events.size());
          storeOneByOne(events);
          ack(batch);
          return;
        }
        lastFailure = java.time.Instant.now();
        // why: the database or the broker is away; keep the batch (unacked in the broker too)
        // and try again rather than lose or reorder events.
        LOG.warnf("storing %d events failed, retrying in %d ms: %s", events.size(), backoffMs, e);
        Thread.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  private void store(List<JobEvent> events) throws Exception {
    EventStore.Written written = store.write(events);
    // why: counted right after the commit; a retry after a failed relay sees these events as
    // existing and would not count them again
    written.finished().forEach(metrics::finished);
    duplicateEnds.increment(written.duplicateEnds());
    afterEnd.increment(written.afterEnd());
    if (!written.orphans().isEmpty()) {
      removeOrphans(written.orphans());
    }
    relay.publish(written.events());
  }

  /**
   * why: a worker that ran a job after it was cancelled wrote artifacts nobody will remove (the
   * worker that heeds a cancel removes its own); off the writer thread, best effort.
   */
  private void removeOrphans(List<String> keys) {
    Thread.startVirtualThread(
        () -> {
          for (String key : keys) {
            try {
              objects.remove(key);
            } catch (Exception e) {
              LOG.warnf("cannot remove %s of a cancelled job: %s", key, e.toString());
            }
          }
        });
  }

  private void storeOneByOne(List<JobEvent> events) throws InterruptedException {
    for (JobEvent event : events) {
      long backoffMs = 200;
      while (running) {
        try {
          store(List.of(event));
          break;
        } catch (Exception e) {
          if (!Failures.isTransient(e)) {
            rejected.increment();
            LOG.errorf(
                e,
                "event %s (%s of job %s) refused and set aside",
                event.eventId(),
                event.type(),
                event.jobId());
            break;
          }
          Thread.sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, 5000);
        }
      }
    }
  }

  private static void ack(List<Delivery> batch) {
    Delivery last = batch.get(batch.size() - 1);
    try {
      // why: one multiple-ack per batch; deliveries of one channel arrive in tag order
      last.channel().basicAck(last.tag(), true);
    } catch (IOException | RuntimeException e) {
      // the channel went away: the broker redelivers, and duplicates are dropped by event id
      LOG.debugf("ack failed: %s", e);
    }
  }

  /**
   * When this replica last failed to store a batch. Events held up by that failure arrive late, so
   * until they are in, a job's last event in the database says nothing about its worker.
   */
  public java.time.Instant lastFailure() {
    return lastFailure;
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (writer != null) {
      writer.interrupt();
    }
  }
}
