package dev.kiln.worker.broker;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import org.jboss.logging.Logger;

/**
 * One job message received from a work queue, settled exactly once. Settling on a channel that
 * closed meanwhile is a no-op: the broker already returned the message to its queue.
 */
public final class JobDelivery {

  private static final Logger LOG = Logger.getLogger(JobDelivery.class);

  private final Channel channel;
  private final Lock channelLock;
  private final long deliveryTag;
  private final boolean redelivered;
  private final byte[] body;
  private final AtomicBoolean settled = new AtomicBoolean();

  JobDelivery(
      Channel channel, Lock channelLock, long deliveryTag, boolean redelivered, byte[] body) {
    this.channel = channel;
    this.channelLock = channelLock;
    this.deliveryTag = deliveryTag;
    this.redelivered = redelivered;
    this.body = body;
  }

  public byte[] body() {
    return body;
  }

  public boolean redelivered() {
    return redelivered;
  }

  /** The job is done (or needs no run): remove the message. */
  public void ack() {
    settle("ack", () -> channel.basicAck(deliveryTag, false));
  }

  /** The message can never be processed here: drop it (dead-lettered once a DLX exists). */
  public void reject() {
    settle("reject", () -> channel.basicReject(deliveryTag, false));
  }

  /** This worker cannot finish it now: give it back to the queue for another try. */
  public void requeue() {
    settle("requeue", () -> channel.basicNack(deliveryTag, false, true));
  }

  private interface ChannelOp {
    void run() throws IOException;
  }

  private void settle(String what, ChannelOp op) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    // why: acks come from many job threads; the channel must see one operation at a time
    channelLock.lock();
    try {
      if (channel.isOpen()) {
        op.run();
      } else {
        LOG.debugf("cannot %s delivery %d: channel closed, broker requeues it", what, deliveryTag);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warnf("could not %s delivery %d: %s", what, deliveryTag, e.toString());
    } finally {
      channelLock.unlock();
    }
  }
}
