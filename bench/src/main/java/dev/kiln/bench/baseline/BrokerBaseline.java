package dev.kiln.bench.baseline;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What RabbitMQ alone moves on this machine, handled the way Kiln needs it: persistent messages on
 * a durable quorum queue (Kiln's work queues are quorum queues), published with confirms in batches
 * and consumed with manual acks under a bounded prefetch, each side on its own connection as two
 * apps would be.
 */
final class BrokerBaseline {

  private static final int CONFIRM_BATCH = 100;
  private static final int PREFETCH = 100;
  private static final int BODY_BYTES = 512;
  // why: a consumer that falls behind must not let the queue grow for the whole run
  private static final long MAX_QUEUED = 50_000;

  /**
   * @param consumedPerSecond messages consumed and acked per second after the warm-up
   * @param publishedPerSecond messages published and confirmed per second after the warm-up
   * @param product e.g. "RabbitMQ 3.10.8", from the server properties
   */
  record Result(double consumedPerSecond, double publishedPerSecond, String product) {}

  private BrokerBaseline() {}

  static ConnectionFactory factory(String host, int port) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(host);
    factory.setPort(port);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setConnectionTimeout(5000);
    return factory;
  }

  static String product(Connection connection) {
    Map<String, Object> props = connection.getServerProperties();
    return props.getOrDefault("product", "RabbitMQ") + " " + props.getOrDefault("version", "?");
  }

  static Result run(String host, int port, double warmupSeconds, double seconds) throws Exception {
    ConnectionFactory factory = factory(host, port);
    String queue = "kiln.bench.baseline." + UUID.randomUUID();
    AtomicLong published = new AtomicLong();
    AtomicLong consumed = new AtomicLong();
    try (Connection pubConnection = factory.newConnection("kiln-bench-publisher");
        Connection subConnection = factory.newConnection("kiln-bench-consumer")) {
      Channel pub = pubConnection.createChannel();
      pub.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
      try {
        Channel sub = subConnection.createChannel();
        sub.basicQos(PREFETCH);
        sub.basicConsume(
            queue,
            false,
            (tag, delivery) -> {
              sub.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
              consumed.incrementAndGet();
            },
            tag -> {});
        pub.confirmSelect();
        byte[] body = new byte[BODY_BYTES];
        Arrays.fill(body, (byte) 'k');
        AMQP.BasicProperties persistent = MessageProperties.PERSISTENT_BASIC;
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        long pubAtFrom = -1;
        long subAtFrom = -1;
        while (System.nanoTime() < end) {
          if (pubAtFrom < 0 && System.nanoTime() >= measureFrom) {
            pubAtFrom = published.get();
            subAtFrom = consumed.get();
          }
          if (published.get() - consumed.get() > MAX_QUEUED) {
            TimeUnit.MILLISECONDS.sleep(1);
            continue;
          }
          for (int i = 0; i < CONFIRM_BATCH; i++) {
            pub.basicPublish("", queue, persistent, body);
          }
          pub.waitForConfirmsOrDie(10_000);
          published.addAndGet(CONFIRM_BATCH);
        }
        long pubAtEnd = published.get();
        long subAtEnd = consumed.get();
        return new Result(
            (subAtEnd - Math.max(0, subAtFrom)) / seconds,
            (pubAtEnd - Math.max(0, pubAtFrom)) / seconds,
            product(pubConnection));
      } finally {
        // why: the queue is the bench's own; nothing of a run may stay on the broker. A fresh
        // channel, since a failed confirm wait closes the publisher's
        try (Channel cleanup = pubConnection.createChannel()) {
          cleanup.queueDelete(queue);
        }
      }
    }
  }
}
