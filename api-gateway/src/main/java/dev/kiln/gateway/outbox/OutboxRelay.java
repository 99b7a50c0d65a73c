package dev.kiln.gateway.outbox;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.broker.TraceHeaders;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows: persistent messages on a confirm channel, a batch at a time, and deletes
 * the rows only after the broker confirmed the whole batch. A failure leaves the rows for the next
 * try, so a message may be published twice but never lost; consumers deduplicate.
 *
 * <p>Messages are published mandatory, and a batch with a returned message stays too: the broker
 * confirms a message no queue took, and only cancel broadcasts may legitimately reach nobody (no
 * worker running).
 *
 * <p>Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so every gateway replica can run a relay
 * without two publishing the same row at the same time.
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  private static final String CLAIM =
      "select id, exchange, routing_key, message_id, payload, traceparent from outbox order by id"
          + " limit ? for update skip locked";
  private static final String DELETE = "delete from outbox where id = any(?)";

  @Inject AgroalDataSource dataSource;
  @Inject Broker broker;
  @Inject OutboxConfig config;
  @Inject Tracer tracer;

  /** Permits mean "there may be new rows"; the loop drains them all at once. */
  private final Semaphore signal = new Semaphore(0);

  private volatile boolean running = true;
  private volatile Thread loop;
  private Channel channel;
  // why: set by the channel's return listener, which runs before the confirm of the same publish
  private final java.util.concurrent.atomic.AtomicReference<String> returned =
      new java.util.concurrent.atomic.AtomicReference<>();

  void start(@Observes StartupEvent event) {
    loop = Thread.ofPlatform().daemon().name("kiln-outbox-relay").start(this::run);
  }

  void onWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Written written) {
    signal.release();
  }

  private void run() {
    long backoffMs = 200;
    while (running) {
      try {
        signal.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        signal.drainPermits();
        if (!broker.isConnected()) {
          continue;
        }
        while (running && publishBatch() == config.batchSize()) {
          // a full batch means more rows are waiting
        }
        backoffMs = 200;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.warnf("outbox publish failed, retrying in %d ms: %s", backoffMs, e.toString());
        closeChannel();
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  /** Publishes one batch; returns how many rows it published and deleted. */
  int publishBatch() throws Exception {
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try {
        List<Long> ids = new ArrayList<>();
        Channel ch = channel();
        try (PreparedStatement claim = db.prepareStatement(CLAIM)) {
          claim.setInt(1, config.batchSize());
          try (ResultSet rows = claim.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getLong(1));
              String exchange = rows.getString(2);
              String routingKey = rows.getString(3);
              Span span = publishSpan(exchange, routingKey, rows.getString(6));
              try {
                ch.basicPublish(
                    exchange,
                    routingKey,
                    !Topology.CONTROL_EXCHANGE.equals(exchange),
                    properties(rows.getObject(4).toString(), span),
                    rows.getBytes(5));
              } finally {
                span.end();
              }
            }
          }
        }
        if (ids.isEmpty()) {
          db.rollback();
          return 0;
        }
        // why: one wait for the whole batch; a nack or timeout throws and the rows stay.
        ch.waitForConfirmsOrDie(config.confirmTimeout().toMillis());
        String unrouted = returned.getAndSet(null);
        if (unrouted != null) {
          throw new java.io.IOException("no queue took outbox message " + unrouted);
        }
        try (PreparedStatement delete = db.prepareStatement(DELETE)) {
          Array array = db.createArrayOf("bigint", ids.toArray());
          delete.setArray(1, array);
          delete.executeUpdate();
        }
        db.commit();
        return ids.size();
      } catch (Exception e) {
        db.rollback();
        throw e;
      }
    }
  }

  /**
   * A span for one publish, a child of the context the row was written in, so the trace runs from
   * the HTTP request through the relay to the worker. It ends at the publish, not at the batch's
   * confirm: the confirm covers the whole batch.
   */
  private Span publishSpan(String exchange, String routingKey, String traceparent) {
    return tracer
        .spanBuilder("outbox publish")
        .setParent(TraceHeaders.extract(traceparent))
        .setSpanKind(SpanKind.PRODUCER)
        .setAttribute("messaging.system", "rabbitmq")
        .setAttribute("messaging.destination.name", exchange)
        .setAttribute("messaging.rabbitmq.destination.routing_key", routingKey)
        .startSpan();
  }

  private static AMQP.BasicProperties properties(String messageId, Span span) {
    return new AMQP.BasicProperties.Builder()
        .contentType("application/json")
        .deliveryMode(2)
        .messageId(messageId)
        .timestamp(new Date())
        // why: the publish span's context, or the stored one passed on when the SDK is disabled
        .headers(TraceHeaders.inject(Context.root().with(span)))
        .build();
  }

  private Channel channel() throws Exception {
    if (channel == null || !channel.isOpen()) {
      channel = broker.openChannel();
      channel.confirmSelect();
      channel.addReturnListener(r -> returned.set(r.getProperties().getMessageId()));
      returned.set(null);
    }
    return channel;
  }

  private void closeChannel() {
    try {
      if (channel != null && channel.isOpen()) {
        channel.close();
      }
    } catch (Exception e) {
      LOG.debug("closing relay channel", e);
    }
    channel = null;
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    signal.release();
    Thread t = loop;
    if (t != null) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
