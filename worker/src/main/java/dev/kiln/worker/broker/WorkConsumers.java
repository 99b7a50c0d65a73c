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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * One consumer per work queue {@code kiln.jobs.{type}}, each on its own channel.
 *
 * <p>Connection failures are repaired by the client's automatic recovery, consumers included. A
 * channel the broker closes on its own (consumer timeout, any channel-level error) and a consumer
 * the broker cancels are not: for those this class subscribes again, with backoff, and reports not
 * consuming until it has.
 */
@Singleton
public class WorkConsumers {

  private static final Logger LOG = Logger.getLogger(WorkConsumers.class);

  /** The consumer of one queue; its channel and consumer change when the broker drops them. */
  private static final class Subscription {
    final String type;
    volatile Channel channel;
    volatile String consumerTag;
    // why: false from the moment the broker closes the channel or cancels the consumer until
    // a new subscription is in place, so readiness does not have to guess
    volatile boolean active;
    // why: a replacement is under way; a second signal for the same channel must not start another
    volatile boolean reopening;

    Subscription(String type) {
      this.type = type;
    }
  }

  private final List<Subscription> subscriptions = new ArrayList<>();
  private final ChannelReopener reopener = new ChannelReopener("kiln-work-channel-reopen");
  private volatile Connection connection;
  private volatile int prefetch;
  private volatile String workerId;
  private volatile DeliveryHandler handler;
  private volatile boolean started;
  private volatile boolean stopped;

  /**
   * @param prefetch unacked messages per queue; why explicit: without it the broker pushes the
   *     whole queue into this process
   */
  public synchronized void start(
      Connection connection, List<String> types, int prefetch, String workerId, DeliveryHandler h)
      throws IOException {
    this.connection = connection;
    this.prefetch = prefetch;
    this.workerId = workerId;
    this.handler = h;
    for (String type : types) {
      Subscription s = new Subscription(type);
      subscribe(s, connection.createChannel());
      subscriptions.add(s);
      LOG.infof("consuming %s (prefetch %d)", Topology.workQueue(type), prefetch);
    }
    started = true;
  }

  /** Declares the queue, sets the prefetch and consumes on {@code channel}. */
  private void subscribe(Subscription s, Channel channel) throws IOException {
    // why: declared on the channel that lives as long as the consumer; automatic topology
    // recovery re-declares an entity on the channel that declared it, so a short-lived
    // declaring channel would make recovery fail
    Topology.declareWorkQueue(channel, s.type);
    channel.basicQos(prefetch);
    String tag =
        channel.basicConsume(
            Topology.workQueue(s.type),
            false,
            "kiln-worker-" + workerId + "-" + s.type,
            new WorkConsumer(s, channel));
    s.channel = channel;
    s.consumerTag = tag;
    s.active = true;
  }

  private final class WorkConsumer extends DefaultConsumer {
    private final Subscription subscription;
    private final Channel channel;
    private final JobDelivery.Acknowledger acknowledger;
    // why: one flag per incarnation of the channel; it flips when the channel shuts down, which
    // returns every unacked message of that incarnation to the queue, and is replaced for the
    // deliveries of the recovered channel
    private volatile AtomicBoolean incarnationLost = new AtomicBoolean();

    WorkConsumer(Subscription subscription, Channel channel) {
      super(channel);
      this.subscription = subscription;
      this.channel = channel;
      this.acknowledger = acknowledger(channel, new ReentrantLock());
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      AtomicBoolean lost = incarnationLost;
      handler.onDelivery(
          subscription.type,
          new JobDelivery(
              acknowledger,
              envelope.getDeliveryTag(),
              envelope.isRedeliver(),
              body,
              lost::get,
              props.getHeaders() != null ? props.getHeaders() : java.util.Map.of()));
    }

    private void markLost() {
      AtomicBoolean lost = incarnationLost;
      incarnationLost = new AtomicBoolean();
      lost.set(true);
    }

    @Override
    public void handleCancel(String consumerTag) {
      // why: only the broker calls this (queue deleted, leader lost); our own cancel ends in
      // handleCancelOk
      LOG.warnf("broker cancelled the consumer of %s", Topology.workQueue(subscription.type));
      lost(subscription, channel);
    }

    @Override
    public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
      // why: whatever closed it, the broker requeued this channel's unacked messages; runs of
      // them stop at their next check and a redelivery resumes them from their checkpoint
      markLost();
      if (sig.isInitiatedByApplication()) {
        return;
      }
      if (sig.isHardError()) {
        // why: the connection failed; automatic recovery reopens the channel and its consumer
        LOG.warnf(
            "work channel of %s lost with its connection: %s", subscription.type, sig.getMessage());
        return;
      }
      LOG.warnf("broker closed the work channel of %s: %s", subscription.type, sig.getMessage());
      lost(subscription, channel);
    }
  }

  /** The broker dropped the subscription on {@code channel}: start replacing it. */
  private void lost(Subscription s, Channel channel) {
    if (s.channel != channel) {
      return;
    }
    s.active = false;
    if (stopped || s.reopening) {
      return;
    }
    s.reopening = true;
    reopener.schedule(() -> resubscribe(s, channel));
  }

  /**
   * @return true when done (subscribed again, or stopped), false to be tried again
   */
  private boolean resubscribe(Subscription s, Channel lost) {
    if (stopped) {
      s.reopening = false;
      return true;
    }
    Channel ch = lost;
    try {
      if (!lost.isOpen()) {
        // why: abort unregisters the dead channel from automatic recovery, which would otherwise
        // bring it back with its old consumer next to the new one after a connection failure
        ChannelReopener.abortQuietly(lost);
        ch = connection.createChannel();
      }
      subscribe(s, ch);
    } catch (IOException | RuntimeException e) {
      LOG.warnf("cannot consume %s again yet: %s", Topology.workQueue(s.type), e.toString());
      if (ch != lost) {
        ChannelReopener.abortQuietly(ch);
      }
      return false;
    }
    synchronized (this) {
      s.reopening = false;
      if (stopped) {
        // why: shutdown began meanwhile and did not see this channel
        closeQuietly(s);
        return true;
      }
    }
    LOG.infof("consuming %s again", Topology.workQueue(s.type));
    return true;
  }

  // why: acks come from many job threads; the channel must see one operation at a time
  private static JobDelivery.Acknowledger acknowledger(Channel channel, ReentrantLock lock) {
    return new JobDelivery.Acknowledger() {
      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void ack(long deliveryTag) throws IOException {
        lock.lock();
        try {
          channel.basicAck(deliveryTag, false);
        } finally {
          lock.unlock();
        }
      }

      @Override
      public void nack(long deliveryTag, boolean requeue) throws IOException {
        lock.lock();
        try {
          channel.basicNack(deliveryTag, false, requeue);
        } finally {
          lock.unlock();
        }
      }
    };
  }

  /** The channel currently consuming {@code type}; for tests that break it on purpose. */
  synchronized Channel channelOf(String type) {
    return subscriptions.stream()
        .filter(s -> s.type.equals(type))
        .map(s -> s.channel)
        .findFirst()
        .orElseThrow();
  }

  /** True while every work queue has a live consumer on an open channel. */
  public boolean consuming() {
    if (!started || stopped) {
      return false;
    }
    synchronized (this) {
      for (Subscription s : subscriptions) {
        if (!s.active || !s.channel.isOpen()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Stops new deliveries; messages already received can still be acked. */
  public synchronized void stopConsuming() {
    stopped = true;
    for (Subscription s : subscriptions) {
      try {
        if (s.active && s.channel.isOpen()) {
          s.channel.basicCancel(s.consumerTag);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warnf("could not cancel consumer of %s: %s", s.type, e.toString());
      }
    }
  }

  /** Closes the channels; the broker requeues every message still unacked. */
  public synchronized void close() {
    stopped = true;
    reopener.shutdown();
    for (Subscription s : subscriptions) {
      closeQuietly(s);
    }
    subscriptions.clear();
  }

  private static void closeQuietly(Subscription s) {
    try {
      if (s.channel.isOpen()) {
        s.channel.close();
      }
    } catch (IOException | TimeoutException | RuntimeException e) {
      LOG.debugf("closing work channel of %s: %s", s.type, e.toString());
    }
  }
}
