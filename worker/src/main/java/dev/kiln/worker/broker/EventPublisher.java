package dev.kiln.worker.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.broker.TraceHeaders;
import dev.kiln.model.events.JobEventBatch;
import io.opentelemetry.context.Context;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Publishes to {@code kiln.events} on one confirm-mode channel and turns each publisher confirm
 * into a future, so a job can wait for exactly its own events.
 *
 * <p>The channel is "ready" while it is open in confirm mode. Connection failures are repaired by
 * the client's automatic recovery; a channel the broker closes on its own (a channel-level error)
 * is not, so this class opens a new one, with backoff.
 */
@Singleton
public class EventPublisher implements ConfirmedEventSink.EventChannel {

  private static final Logger LOG = Logger.getLogger(EventPublisher.class);
  private static final String JSON = "application/json";

  // why: channels are not thread-safe, and the sequence number must be read and used atomically
  private final ReentrantLock lock = new ReentrantLock();
  private final ConfirmTracker confirms = new ConfirmTracker();
  private final ChannelReopener reopener = new ChannelReopener("kiln-event-channel-reopen");
  private volatile Connection connection;
  private volatile Channel channel;
  // why: a recovering channel is open again before confirm mode is back on, and a publish in
  // that window would never be confirmed; only a channel past its recovery is used
  private volatile boolean ready;
  private volatile boolean closing;
  // why: aborting the dead channel notifies its shutdown listeners once more; one replacement
  // at a time
  private final AtomicBoolean reopening = new AtomicBoolean();

  public void start(Connection connection) throws IOException {
    this.connection = connection;
    install(open(connection));
  }

  private Channel open(Connection connection) throws IOException {
    Channel ch = connection.createChannel();
    ch.confirmSelect();
    ch.addConfirmListener(
        (tag, multiple) -> confirms.settle(tag, multiple, null),
        (tag, multiple) ->
            confirms.settle(tag, multiple, new IOException("broker nacked the event")));
    // why: returns arrive before the confirm of the same publish, on this channel's thread
    ch.addReturnListener(r -> confirms.returned(r.getProperties().getMessageId()));
    ch.addShutdownListener(cause -> onShutdown(ch, cause));
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
              if (channel == ch) {
                ready = true;
                LOG.info("event channel recovered");
              }
            }
          });
    }
    return ch;
  }

  private void install(Channel ch) {
    lock.lock();
    try {
      channel = ch;
      ready = ch.isOpen();
    } finally {
      lock.unlock();
    }
  }

  private void onShutdown(Channel ch, ShutdownSignalException cause) {
    if (channel != ch) {
      return;
    }
    ready = false;
    // why: confirms of a closed channel never arrive; failing them at once lets waiting jobs
    // republish on the next channel instead of hanging until their timeout
    confirms.failAll(new IOException("event channel closed: " + cause.getMessage()));
    if (cause.isInitiatedByApplication() || closing) {
      return;
    }
    if (cause.isHardError()) {
      LOG.warnf("event connection lost, automatic recovery takes over: %s", cause.getMessage());
      return;
    }
    if (reopening.compareAndSet(false, true)) {
      LOG.warnf("broker closed the event channel, opening a new one: %s", cause.getMessage());
      reopener.schedule(() -> reopen(ch));
    }
  }

  /**
   * @return true when done (a new channel or nothing left to do), false to be tried again
   */
  private boolean reopen(Channel closed) {
    if (closing || channel != closed) {
      reopening.set(false);
      return true;
    }
    // why: removes the dead channel from automatic recovery, which would otherwise bring it back
    // next to its replacement after a connection failure
    ChannelReopener.abortQuietly(closed);
    Channel ch;
    try {
      ch = open(connection);
    } catch (IOException | RuntimeException e) {
      LOG.warnf("could not open a new event channel yet: %s", e.toString());
      return false;
    }
    lock.lock();
    try {
      if (closing) {
        ChannelReopener.abortQuietly(ch);
        return true;
      }
      install(ch);
      reopening.set(false);
    } finally {
      lock.unlock();
    }
    LOG.info("event channel open again");
    return true;
  }

  /** Whether events can be published right now. */
  public boolean isReady() {
    Channel ch = channel;
    return ready && ch != null && ch.isOpen();
  }

  /**
   * Publishes a persistent job event, mandatory: an event no queue takes (the event-store queue
   * missing, or not yet back after a broker restart) fails instead of being confirmed and lost.
   *
   * @return completes when the broker confirmed it, exceptionally when it was nacked or lost;
   *     already failed when the channel is not ready and nothing was sent
   */
  @Override
  public CompletableFuture<Void> publishEvent(String routingKey, String eventId, byte[] body) {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType(JSON)
            .deliveryMode(2)
            .messageId(eventId)
            // why: the run's span is current on the thread that emits, so the gateway can relate
            // the event to the job's trace
            .headers(TraceHeaders.inject(Context.current()))
            .build();
    return publish(routingKey, props, body, true);
  }

  /** Publishes a {@link JobEventBatch} like one event, with its own content type. */
  @Override
  public CompletableFuture<Void> publishBatch(String routingKey, String messageId, byte[] body) {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType(JobEventBatch.CONTENT_TYPE)
            .deliveryMode(2)
            .messageId(messageId)
            .headers(TraceHeaders.inject(Context.current()))
            .build();
    return publish(routingKey, props, body, true);
  }

  @Override
  public boolean takesBatches() {
    return true;
  }

  /** Publishes a transient message that is worthless after {@code ttlMillis} (heartbeats). */
  public CompletableFuture<Void> publishTransient(String routingKey, byte[] body, long ttlMillis) {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType(JSON)
            .deliveryMode(1)
            .expiration(Long.toString(ttlMillis))
            .build();
    return publish(routingKey, props, body, false);
  }

  private CompletableFuture<Void> publish(
      String routingKey, AMQP.BasicProperties props, byte[] body, boolean mandatory) {
    lock.lock();
    try {
      Channel ch = channel;
      if (!ready || ch == null || !ch.isOpen()) {
        return CompletableFuture.failedFuture(new IOException("event channel is not open"));
      }
      long seqNo = ch.getNextPublishSeqNo();
      if (seqNo == 0) {
        return CompletableFuture.failedFuture(
            new IOException("event channel is not in confirm mode"));
      }
      CompletableFuture<Void> confirmed =
          confirms.register(seqNo, mandatory ? props.getMessageId() : null);
      try {
        ch.basicPublish(Topology.EVENTS_EXCHANGE, routingKey, mandatory, props, body);
      } catch (IOException | RuntimeException e) {
        confirms.abandon(seqNo, e);
      }
      return confirmed;
    } finally {
      lock.unlock();
    }
  }

  /** The current event channel; for tests that break it on purpose. */
  Channel channel() {
    return channel;
  }

  public void close() {
    closing = true;
    reopener.shutdown();
    lock.lock();
    try {
      Channel ch = channel;
      ready = false;
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
