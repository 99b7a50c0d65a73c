package dev.kiln.worker.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.config.WorkerConfig;
import dev.kiln.worker.pipeline.RetryScheduler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Schedules retries in the broker: the next attempt's message goes to the delay queue {@code
 * kiln.delay.{type}.{step}} (through the default exchange), whose TTL dead-letters it back into
 * {@code kiln.jobs} with the type as routing key. No worker thread waits through the delay.
 *
 * <p>Its own confirm channel on the publishing connection, used one publish at a time and waited
 * for: retries are rare, and the caller must know the retry exists before it announces it.
 */
@Singleton
public class RetryPublisher implements RetryScheduler {

  private static final Logger LOG = Logger.getLogger(RetryPublisher.class);
  private static final long FIRST_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 1_000;

  private final Duration timeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean returned = new AtomicBoolean();
  private volatile Connection connection;
  private Channel channel;
  private volatile boolean closed;

  @Inject
  public RetryPublisher(WorkerConfig config) {
    this(config.confirmTimeout());
  }

  RetryPublisher(Duration timeout) {
    this.timeout = timeout;
  }

  public void start(Connection connection) {
    this.connection = connection;
  }

  /**
   * Publishes {@code next} persistently to the delay queue for {@code delayMillis} and waits for
   * the broker's confirm, trying again with backoff (on a new channel) until the confirm timeout.
   */
  @Override
  public void schedule(JobMessage next, long delayMillis) throws IOException {
    byte[] body;
    try {
      body = KilnJson.mapper().writeValueAsBytes(next);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("job message is not serialisable", e);
    }
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .messageId(next.jobId() + "/" + next.attempt())
            .timestamp(new Date())
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoff = FIRST_BACKOFF_MS;
    lock.lock();
    try {
      while (true) {
        try {
          publishOnce(next.type(), delayMillis, props, body, deadline);
          LOG.infof(
              "job %s: attempt %d scheduled in %d ms",
              next.jobId(), next.attempt(), Topology.retryStep(delayMillis));
          return;
        } catch (IOException | TimeoutException | RuntimeException e) {
          discardChannel();
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (closed || left <= backoff) {
            throw new IOException("retry of job " + next.jobId() + " not confirmed: " + e, e);
          }
          LOG.warnf("scheduling a retry failed, trying again: %s", e.toString());
          TimeUnit.MILLISECONDS.sleep(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while scheduling a retry", e);
    } finally {
      lock.unlock();
    }
  }

  private void publishOnce(
      String type, long delayMillis, AMQP.BasicProperties props, byte[] body, long deadline)
      throws IOException, TimeoutException, InterruptedException {
    if (closed) {
      throw new IOException("retry publisher closed");
    }
    Channel ch = channel();
    // why every time: a delay queue expires counting from its last declaration (see Topology)
    String queue = Topology.declareRetryQueue(ch, type, delayMillis);
    returned.set(false);
    // why: mandatory, so a delay queue that expired between declaration and publish is noticed
    // (returned) instead of the retry vanishing
    ch.basicPublish("", queue, true, props, body);
    long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    ch.waitForConfirmsOrDie(waitMs);
    if (returned.get()) {
      throw new IOException("delay queue " + queue + " did not take the retry");
    }
  }

  private Channel channel() throws IOException {
    if (channel != null && channel.isOpen()) {
      return channel;
    }
    Connection c = connection;
    if (c == null) {
      throw new IOException("retry publisher not started");
    }
    Channel ch = c.createChannel();
    ch.confirmSelect();
    // why: returns arrive on the connection thread before the confirm of the same publish
    ch.addReturnListener(r -> returned.set(true));
    channel = ch;
    return ch;
  }

  private void discardChannel() {
    Channel ch = channel;
    channel = null;
    if (ch != null) {
      ChannelReopener.abortQuietly(ch);
    }
  }

  public void close() {
    closed = true;
    lock.lock();
    try {
      Channel ch = channel;
      channel = null;
      if (ch != null && ch.isOpen()) {
        ch.close();
      }
    } catch (IOException | TimeoutException | RuntimeException e) {
      LOG.debugf("closing retry channel: %s", e.toString());
    } finally {
      lock.unlock();
    }
  }
}
