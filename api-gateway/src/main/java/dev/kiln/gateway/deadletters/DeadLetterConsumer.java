package dev.kiln.gateway.deadletters;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.kiln.gateway.jobs.JobMetrics;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.model.broker.Topology;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Consumes {@code kiln.dead-letters} into the {@code dead_letters} table. Every gateway replica
 * consumes (dead letters are rare, and recording one twice is harmless: the row is unique per job
 * attempt). A message is acknowledged only after its row committed; a failure keeps it and retries,
 * with the broker holding the rest (bounded prefetch).
 */
@ApplicationScoped
public class DeadLetterConsumer {

  private static final Logger LOG = Logger.getLogger(DeadLetterConsumer.class);

  /** why: a few in flight per replica; the broker keeps the rest. */
  static final int PREFETCH = 16;

  static final String DEAD_LETTERS = "kiln_dead_letters_total";

  private record Delivery(Channel channel, long tag, byte[] body, Map<String, Object> headers) {}

  @Inject Broker broker;
  @Inject DeadLetterIntake intake;
  @Inject JobMetrics metrics;
  @Inject MeterRegistry registry;

  private final BlockingQueue<Delivery> inbox = new ArrayBlockingQueue<>(PREFETCH + 1);
  private volatile boolean running = true;
  private Thread worker;

  void start(@Observes StartupEvent event) {
    // why: counters start at 0, so the first dead letter shows in rate() and increase()
    for (String reason : new String[] {DeathHeader.REJECTED, DeathHeader.DELIVERY_LIMIT}) {
      registry.counter(DEAD_LETTERS, "reason", reason);
    }
    worker = Thread.ofPlatform().daemon().name("kiln-dead-letters").start(this::loop);
    broker.onConnected(this::consume);
  }

  private void consume(Connection connection) {
    try {
      Channel channel = connection.createChannel();
      channel.basicQos(PREFETCH);
      channel.basicConsume(
          Topology.DEAD_LETTER_QUEUE,
          false,
          "kiln-dead-letters-" + broker.instanceId(),
          new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(
                String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                throws IOException {
              if (!inbox.offer(
                  new Delivery(channel, envelope.getDeliveryTag(), body, props.getHeaders()))) {
                channel.basicNack(envelope.getDeliveryTag(), false, true);
              }
            }
          });
    } catch (IOException e) {
      LOG.error("cannot consume the dead-letter queue", e);
    }
  }

  private void loop() {
    while (running) {
      try {
        Delivery d = inbox.poll(500, TimeUnit.MILLISECONDS);
        if (d != null) {
          process(d);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void process(Delivery d) throws InterruptedException {
    long backoffMs = 200;
    while (running) {
      try {
        DeadLetterIntake.Recorded recorded = intake.record(d.body(), d.headers());
        registry.counter(DEAD_LETTERS, "reason", recorded.reason()).increment();
        if (recorded.job() != null) {
          metrics.finished(recorded.job());
        }
        ack(d);
        return;
      } catch (RuntimeException e) {
        // why: the database is away (or refuses the row); the message waits unacknowledged
        // rather than being lost
        LOG.warnf("recording a dead letter failed, retrying in %d ms: %s", backoffMs, e);
        Thread.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  private static void ack(Delivery d) {
    try {
      d.channel().basicAck(d.tag(), false);
    } catch (IOException | RuntimeException e) {
      // the channel went away: the broker redelivers, and the row is recorded once
      LOG.debugf("dead letter ack failed: %s", e);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (worker != null) {
      worker.interrupt();
    }
  }
}
