package dev.kiln.gateway.events;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Reads this replica's private queue: relayed events for its SSE clients, and worker heartbeats for
 * its view of the fleet. Every replica gets every message.
 */
@ApplicationScoped
public class ReplicaConsumer {

  private static final Logger LOG = Logger.getLogger(ReplicaConsumer.class);

  /** why: a few relay batches in flight; the broker holds the rest, not this heap. */
  private static final int PREFETCH = 16;

  private final Map<String, Long> lastSeqByWriter = new ConcurrentHashMap<>();

  @Inject Broker broker;
  @Inject SseHub hub;
  @Inject WorkerRegistry workers;
  @Inject RelayLag relayLag;

  void start(@Observes StartupEvent event) {
    broker.onConnected(this::consume);
  }

  private void consume(Connection connection) {
    try {
      Channel channel = connection.createChannel();
      String queue = Topology.declareGatewayQueue(channel, broker.instanceId());
      channel.basicQos(PREFETCH);
      channel.basicConsume(
          queue,
          false,
          new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                throws IOException {
              dispatch(envelope.getRoutingKey(), body);
              channel.basicAck(envelope.getDeliveryTag(), false);
            }
          });
      // why: while the connection is down this replica's queue is gone and relayed events with
      // it; clients must resume from the database rather than wait for events that never come
      connection.addShutdownListener(
          cause -> {
            lastSeqByWriter.clear();
            hub.closeAll();
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
        RelayBatch batch = KilnJson.mapper().readValue(body, RelayBatch.class);
        Long previous = lastSeqByWriter.put(batch.writer(), batch.seq());
        if (previous != null && batch.seq() != previous + 1) {
          LOG.warnf(
              "relay gap from %s (%d after %d); streams resume from the store",
              batch.writer(), batch.seq(), previous);
          hub.closeAll();
          return;
        }
        hub.dispatch(batch.events());
        relayLag.relayed(batch.events());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warnf("ignoring unreadable %s message: %s", routingKey, e.getMessage());
    }
  }
}
