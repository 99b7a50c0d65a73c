package dev.kiln.gateway.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.json.KilnJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Fans stored events out to every gateway replica through {@code kiln.relay}, one message per
 * batch. Messages are transient and numbered: a replica that misses one notices the jump and has
 * its clients resume from the database with Last-Event-ID.
 */
@ApplicationScoped
public class RelayPublisher {

  private static final AMQP.BasicProperties PROPS =
      new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(1).build();

  @Inject Broker broker;

  private final String writer = java.util.UUID.randomUUID().toString();
  private long seq;
  private Channel channel;

  /** Called only from the event writer thread. */
  public void publish(List<StoredEvent> events) throws Exception {
    if (events.isEmpty()) {
      return;
    }
    Channel ch = channel();
    try {
      RelayBatch batch = new RelayBatch(writer, ++seq, events);
      ch.basicPublish(
          Topology.RELAY_EXCHANGE, "", PROPS, KilnJson.mapper().writeValueAsBytes(batch));
      ch.waitForConfirmsOrDie(5000);
    } catch (Exception e) {
      channel = null;
      throw e;
    }
  }

  private Channel channel() throws Exception {
    if (channel == null || !channel.isOpen()) {
      channel = broker.openChannel();
      channel.confirmSelect();
    }
    return channel;
  }
}
