package dev.kiln.gateway.outbox;

import dev.kiln.gateway.sql.ArrayParams;
import dev.kiln.model.broker.TraceHeaders;
import dev.kiln.model.json.KilnJson;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Records messages to publish as part of the caller's transaction. Nothing reaches the broker
 * unless that transaction commits, and nothing committed is lost: {@link OutboxRelay} publishes it,
 * now or after a restart.
 */
@ApplicationScoped
public class Outbox {

  /** Fired so the relay publishes right after the commit instead of at its next poll. */
  public record Written() {}

  private static final String INSERT_ALL =
      "insert into outbox (id, exchange, routing_key, message_id, payload, created_at,"
          + " traceparent) select * from unnest(?::bigint[], ?::text[], ?::text[], ?::uuid[],"
          + " ?::bytea[], ?::timestamptz[], ?::text[])";

  @Inject Event<Written> written;
  @Inject EntityManager em;

  @Transactional(Transactional.TxType.MANDATORY)
  public void enqueue(String exchange, String routingKey, UUID messageId, Object message) {
    enqueueAll(List.of(new Pending(exchange, routingKey, messageId, message)));
  }

  /** A message to record with {@link #enqueueAll}. */
  public record Pending(String exchange, String routingKey, UUID messageId, Object message) {}

  /**
   * Records many messages with one id query and one insert. why: a batch submission records a
   * message per job, and entity-by-entity inserts cost more than the jobs themselves.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void enqueueAll(List<Pending> messages) {
    if (messages.isEmpty()) {
      return;
    }
    // why: the relay publishes on its own thread, long after this request's span is gone; the row
    // keeps the context so the message still joins the submitter's trace
    String traceparent =
        (String) TraceHeaders.inject(Context.current()).get(TraceHeaders.TRACEPARENT);
    Timestamp now = Timestamp.from(Instant.now());
    int n = messages.size();
    Object[] exchanges = new Object[n], keys = new Object[n], messageIds = new Object[n];
    byte[][] payloads = new byte[n][];
    Object[] created = new Object[n], traces = new Object[n];
    for (int i = 0; i < n; i++) {
      Pending m = messages.get(i);
      exchanges[i] = m.exchange();
      keys[i] = m.routingKey();
      messageIds[i] = m.messageId();
      payloads[i] = serialise(m.message());
      created[i] = now;
      traces[i] = traceparent;
    }
    em.unwrap(Session.class)
        .doWork(
            c -> {
              Object[] ids = OutboxIds.take(c, n);
              try (PreparedStatement ps = c.prepareStatement(INSERT_ALL)) {
                ArrayParams.of(c, ps)
                    .add("int8", ids)
                    .add("text", exchanges)
                    .add("text", keys)
                    .add("uuid", messageIds)
                    .add("bytea", payloads)
                    .add("timestamptz", created)
                    .add("text", traces);
                ps.executeUpdate();
              }
            });
    written.fire(new Written());
  }

  private static byte[] serialise(Object message) {
    try {
      return KilnJson.mapper().writeValueAsBytes(message);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("message is not serialisable", e);
    }
  }
}
