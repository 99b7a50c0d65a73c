package dev.kiln.gateway.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.gateway.stats.WorkerRegistry;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.WorkerHeartbeat;
import dev.kiln.model.json.KilnJson;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Reads this replica's private queue: relayed events for its SSE clients, and worker heartbeats for
 * its view of the fleet. Every replica gets every message.
 */
@ApplicationScoped
public class ReplicaConsumer {

  private static final Logger LOG = Logger.getLogger(ReplicaConsumer.class);
  private static final TypeReference<List<StoredEvent>> EVENTS = new TypeReference<>() {};

  @Inject Broker broker;
  @Inject SseHub hub;
  @Inject WorkerRegistry workers;

  void start(@Observes StartupEvent event) {
    broker.onConnected(this::consume);
  }

  private void consume(Connection connection) {
    try {
      Channel channel = connection.createChannel();
      String queue = Topology.declareGatewayQueue(channel, broker.instanceId());
      // why: auto-ack; these messages only feed live views, and a lost one is recovered by the
      // client's Last-Event-ID resumption or the next heartbeat.
      channel.basicConsume(
          queue,
          true,
          new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
              dispatch(envelope.getRoutingKey(), body);
            }
          });
    } catch (IOException e) {
      LOG.error("cannot consume this replica's queue", e);
    }
  }

  private void dispatch(String routingKey, byte[] body) {
    try {
      if (WorkerHeartbeat.ROUTING_KEY.equals(routingKey)) {
        workers.record(KilnJson.mapper().readValue(body, WorkerHeartbeat.class));
      } else {
        hub.dispatch(KilnJson.mapper().readValue(body, EVENTS));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warnf("ignoring unreadable %s message: %s", routingKey, e.getMessage());
    }
  }
}
