package dev.kiln.worker.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import dev.kiln.model.broker.Topology;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Publishes to {@code kiln.events} on one confirm-mode channel and turns each publisher confirm
 * into a future, so a job can wait for exactly its own events.
 */
@Singleton
public class EventPublisher implements ConfirmedEventSink.EventChannel {

  private static final Logger LOG = Logger.getLogger(EventPublisher.class);
  private static final String JSON = "application/json";

  // why: channels are not thread-safe, and the sequence number must be read and used atomically
  private final ReentrantLock lock = new ReentrantLock();
  private final ConfirmTracker confirms = new ConfirmTracker();
  private volatile Channel channel;

  public void start(Connection connection) throws IOException {
    Channel ch = connection.createChannel();
    ch.confirmSelect();
    ch.addConfirmListener(
        (tag, multiple) -> confirms.settle(tag, multiple, null),
        (tag, multiple) ->
            confirms.settle(tag, multiple, new IOException("broker nacked the event")));
    // why: confirms of a closed channel never arrive; failing them at once lets waiting jobs
    // republish on the recovered channel instead of hanging until their timeout
    ch.addShutdownListener(
        cause -> confirms.failAll(new IOException("event channel closed: " + cause.getMessage())));
    if (ch instanceof Recoverable recoverable) {
      recoverable.addRecoveryListener(
          new RecoveryListener() {
            @Override
            public void handleRecoveryStarted(Recoverable r) {
              // why: the recovered channel restarts its sequence numbers at 1
              confirms.failAll(new IOException("event channel is recovering"));
            }

            @Override
            public void handleRecovery(Recoverable r) {
              LOG.info("event channel recovered");
            }
          });
    }
    channel = ch;
  }

  /**
   * Publishes a persistent job event.
   *
   * @return completes when the broker confirmed it, exceptionally when it was nacked or lost
   */
  @Override
  public CompletableFuture<Void> publishEvent(String routingKey, String eventId, byte[] body) {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType(JSON)
            .deliveryMode(2)
            .messageId(eventId)
            .build();
    return publish(routingKey, props, body);
  }

  /** Publishes a transient message that is worthless after {@code ttlMillis} (heartbeats). */
  public CompletableFuture<Void> publishTransient(String routingKey, byte[] body, long ttlMillis) {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType(JSON)
            .deliveryMode(1)
            .expiration(Long.toString(ttlMillis))
            .build();
    return publish(routingKey, props, body);
  }

  private CompletableFuture<Void> publish(
      String routingKey, AMQP.BasicProperties props, byte[] body) {
    lock.lock();
    try {
      Channel ch = channel;
      if (ch == null || !ch.isOpen()) {
        return CompletableFuture.failedFuture(new IOException("event channel is not open"));
      }
      long seqNo = ch.getNextPublishSeqNo();
      CompletableFuture<Void> confirmed = confirms.register(seqNo);
      try {
        ch.basicPublish(Topology.EVENTS_EXCHANGE, routingKey, false, props, body);
      } catch (IOException | RuntimeException e) {
        confirms.abandon(seqNo, e);
      }
      return confirmed;
    } finally {
      lock.unlock();
    }
  }

  public void close() {
    lock.lock();
    try {
      Channel ch = channel;
      channel = null;
      if (ch != null && ch.isOpen()) {
        ch.close();
      }
    } catch (IOException | TimeoutException | RuntimeException e) {
      LOG.debugf("closing event channel: %s", e.toString());
    } finally {
      lock.unlock();
    }
    confirms.failAll(new IOException("event publisher closed"));
  }
}
