package dev.kiln.gateway.outbox;

import dev.kiln.model.broker.TraceHeaders;
import dev.kiln.model.json.KilnJson;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Records messages to publish as part of the caller's transaction. Nothing reaches the broker
 * unless that transaction commits, and nothing committed is lost: {@link OutboxRelay} publishes it,
 * now or after a restart.
 */
@ApplicationScoped
public class Outbox {

  /** Fired so the relay publishes right after the commit instead of at its next poll. */
  public record Written() {}

  @Inject Event<Written> written;

  @Transactional(Transactional.TxType.MANDATORY)
  public void enqueue(String exchange, String routingKey, UUID messageId, Object message) {
    OutboxMessage row = new OutboxMessage();
    row.exchange = exchange;
    row.routingKey = routingKey;
    row.messageId = messageId;
    try {
      row.payload = KilnJson.mapper().writeValueAsBytes(message);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("message is not serialisable", e);
    }
    row.createdAt = Instant.now();
    // why: the relay publishes on its own thread, long after this request's span is gone; the row
    // keeps the context so the message still joins the submitter's trace
    row.traceparent = (String) TraceHeaders.inject(Context.current()).get(TraceHeaders.TRACEPARENT);
    row.persist();
    written.fire(new Written());
  }
}
