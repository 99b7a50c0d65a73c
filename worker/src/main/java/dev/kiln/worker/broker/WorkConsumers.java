package dev.kiln.worker.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.kiln.model.broker.Topology;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/** One consumer per work queue {@code kiln.jobs.{type}}, each on its own channel. */
@Singleton
public class WorkConsumers {

  private static final Logger LOG = Logger.getLogger(WorkConsumers.class);

  private record Subscription(String type, Channel channel, String consumerTag) {}

  private final List<Subscription> subscriptions = new ArrayList<>();
  private volatile boolean consuming;

  /**
   * @param prefetch unacked messages per queue; why explicit: without it the broker pushes the
   *     whole queue into this process
   */
  public synchronized void start(
      Connection connection, List<String> types, int prefetch, String workerId, DeliveryHandler h)
      throws IOException {
    for (String type : types) {
      Channel channel = connection.createChannel();
      // why: declared on the channel that lives as long as the consumer; automatic topology
      // recovery re-declares an entity on the channel that declared it, so a short-lived
      // declaring channel would make recovery fail
      Topology.declareWorkQueue(channel, type);
      channel.basicQos(prefetch);
      ReentrantLock lock = new ReentrantLock();
      String tag =
          channel.basicConsume(
              Topology.workQueue(type),
              false,
              "kiln-worker-" + workerId + "-" + type,
              new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(
                    String consumerTag,
                    Envelope envelope,
                    AMQP.BasicProperties props,
                    byte[] body) {
                  h.onDelivery(
                      type,
                      new JobDelivery(
                          channel, lock, envelope.getDeliveryTag(), envelope.isRedeliver(), body));
                }

                @Override
                public void handleCancel(String consumerTag) {
                  LOG.warnf("broker cancelled the consumer of %s", Topology.workQueue(type));
                }

                @Override
                public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
                  if (!sig.isInitiatedByApplication()) {
                    LOG.warnf("work channel of %s closed: %s", type, sig.getMessage());
                  }
                }
              });
      subscriptions.add(new Subscription(type, channel, tag));
      LOG.infof("consuming %s (prefetch %d)", Topology.workQueue(type), prefetch);
    }
    consuming = true;
  }

  public boolean consuming() {
    return consuming;
  }

  /** Stops new deliveries; messages already received can still be acked. */
  public synchronized void stopConsuming() {
    consuming = false;
    for (Subscription s : subscriptions) {
      try {
        if (s.channel().isOpen()) {
          s.channel().basicCancel(s.consumerTag());
        }
      } catch (IOException | RuntimeException e) {
        LOG.warnf("could not cancel consumer of %s: %s", s.type(), e.toString());
      }
    }
  }

  /** Closes the channels; the broker requeues every message still unacked. */
  public synchronized void close() {
    consuming = false;
    for (Subscription s : subscriptions) {
      try {
        if (s.channel().isOpen()) {
          s.channel().close();
        }
      } catch (IOException | TimeoutException | RuntimeException e) {
        LOG.debugf("closing work channel of %s: %s", s.type(), e.toString());
      }
    }
    subscriptions.clear();
  }
}
