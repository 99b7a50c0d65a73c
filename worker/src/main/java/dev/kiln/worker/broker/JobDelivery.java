package dev.kiln.worker.broker;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One job message received from a work queue, settled exactly once. Settling on a channel that
 * closed meanwhile is a no-op: the broker already returned the message to its queue.
 */
public final class JobDelivery {

  private static final Logger LOG = Logger.getLogger(JobDelivery.class);

  /**
   * The channel a delivery arrived on, as far as settling it goes. Delivery tags belong to one
   * channel: a delivery is never settled on a channel that replaced its own.
   */
  public interface Acknowledger {
    boolean isOpen();

    void ack(long deliveryTag) throws IOException;

    /** Negative acknowledgement of one delivery; {@code requeue=false} drops it. */
    void nack(long deliveryTag, boolean requeue) throws IOException;
  }

  private final Acknowledger channel;
  private final long deliveryTag;
  private final boolean redelivered;
  private final byte[] body;
  private final BooleanSupplier lost;
  private final Map<String, Object> headers;
  private final AtomicBoolean settled = new AtomicBoolean();

  public JobDelivery(Acknowledger channel, long deliveryTag, boolean redelivered, byte[] body) {
    this(channel, deliveryTag, redelivered, body, () -> false);
  }

  /**
   * @param lost true once the channel the message arrived on has closed (even if it recovered
   *     since): the broker has put the message back in its queue
   */
  public JobDelivery(
      Acknowledger channel,
      long deliveryTag,
      boolean redelivered,
      byte[] body,
      BooleanSupplier lost) {
    this(channel, deliveryTag, redelivered, body, lost, Map.of());
  }

  /**
   * @param headers the message's AMQP headers (trace context among them); never null
   */
  public JobDelivery(
      Acknowledger channel,
      long deliveryTag,
      boolean redelivered,
      byte[] body,
      BooleanSupplier lost,
      Map<String, Object> headers) {
    this.headers = headers;
    this.channel = channel;
    this.deliveryTag = deliveryTag;
    this.redelivered = redelivered;
    this.body = body;
    this.lost = lost;
  }

  public byte[] body() {
    return body;
  }

  /** The message's AMQP headers; empty when it had none. */
  public Map<String, Object> headers() {
    return headers;
  }

  public boolean redelivered() {
    return redelivered;
  }

  /**
   * Whether this worker lost the message: its channel closed after the delivery, so the broker
   * requeued it and may already have handed it to another consumer.
   */
  public boolean lost() {
    return lost.getAsBoolean();
  }

  /** The job is done (or needs no run): remove the message. */
  public void ack() {
    settle("ack", () -> channel.ack(deliveryTag));
  }

  /**
   * Reject without requeueing: the work queue dead-letters the message to {@code kiln.dead-letters}
   * (the broker adds the {@code x-death} header).
   */
  public void reject() {
    settle("reject", () -> channel.nack(deliveryTag, false));
  }

  /** This worker cannot finish it now: give it back to the queue for another try. */
  public void requeue() {
    settle("requeue", () -> channel.nack(deliveryTag, true));
  }

  private interface ChannelOp {
    void run() throws IOException;
  }

  private void settle(String what, ChannelOp op) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    try {
      if (channel.isOpen()) {
        op.run();
      } else {
        LOG.debugf("cannot %s delivery %d: channel closed, broker requeues it", what, deliveryTag);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warnf("could not %s delivery %d: %s", what, deliveryTag, e.toString());
    }
  }
}
