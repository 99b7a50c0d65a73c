package dev.kiln.model.broker;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;

/**
 * The RabbitMQ topology, declared identically by every gateway and worker. Declarations are
 * idempotent, and one shared definition means no two processes can disagree on a queue's arguments
 * (which the broker would refuse with PRECONDITION_FAILED).
 *
 * <pre>
 * gateway outbox ──► kiln.jobs (direct) ──type──► kiln.jobs.{type} (quorum) ──► workers
 *                        └─ unroutable ─► kiln.jobs.unroutable (quorum)
 * workers ──► kiln.events (topic) ──job.#,stage.#,artifact.#──► kiln.events.store (quorum, single active consumer)
 *                  └─ worker.heartbeat ──► kiln.gateway.{instance} (per gateway replica)
 * storing gateway ──► kiln.relay (fanout) ──► kiln.gateway.{instance} ──► SSE clients
 * gateway ──► kiln.control (fanout) ──► kiln.worker.{instance} (per worker)
 * worker (retryable failure) ──► kiln.delay.{type}.{ms} (quorum, TTL) ──dead-letter──► kiln.jobs
 * kiln.jobs.{type} ──rejected or past the delivery limit──► kiln.dead ──► kiln.dead-letters
 * </pre>
 */
public final class Topology {

  public static final String JOBS_EXCHANGE = "kiln.jobs";
  public static final String UNROUTABLE_EXCHANGE = "kiln.jobs.unroutable";
  public static final String UNROUTABLE_QUEUE = "kiln.jobs.unroutable";
  public static final String EVENTS_EXCHANGE = "kiln.events";
  public static final String EVENTS_STORE_QUEUE = "kiln.events.store";
  public static final String RELAY_EXCHANGE = "kiln.relay";
  public static final String CONTROL_EXCHANGE = "kiln.control";
  public static final String WORK_QUEUE_PREFIX = "kiln.jobs.";
  public static final String DEAD_EXCHANGE = "kiln.dead";
  public static final String DEAD_LETTER_QUEUE = "kiln.dead-letters";

  /**
   * why not the earlier {@code kiln.retry.} classic queues: classic queues dead-letter at most
   * once, so a retry that expired while its work queue was unavailable (a broker restart) was lost.
   */
  public static final String RETRY_QUEUE_PREFIX = "kiln.delay.";

  /**
   * why: a message that was delivered this many times without being settled has killed (or hung)
   * that many workers; it goes to the dead letters instead of taking down the next one.
   */
  public static final int DELIVERY_LIMIT = 5;

  /** Retry delays are rounded up to one of these steps, so a type needs only a few delay queues. */
  static final long[] RETRY_STEPS_MS = retrySteps();

  /**
   * why: a gateway replica that stalls must not make the broker hoard relay messages without bound;
   * SSE clients that miss relayed events recover them with Last-Event-ID from the database.
   */
  static final int REPLICA_QUEUE_MAX_LENGTH = 100_000;

  private Topology() {}

  public static String workQueue(String jobType) {
    return WORK_QUEUE_PREFIX + jobType;
  }

  /** Exchanges and the event-store queue: everything that is not per type or per process. */
  public static void declareShared(Channel channel) throws IOException {
    channel.exchangeDeclare(UNROUTABLE_EXCHANGE, BuiltinExchangeType.FANOUT, true);
    channel.queueDeclare(UNROUTABLE_QUEUE, true, false, false, quorum(Map.of()));
    channel.queueBind(UNROUTABLE_QUEUE, UNROUTABLE_EXCHANGE, "");
    // why: a job message for a type with no queue yet must not vanish; the alternate exchange
    // keeps it where an operator can see it.
    channel.exchangeDeclare(
        JOBS_EXCHANGE,
        BuiltinExchangeType.DIRECT,
        true,
        false,
        Map.of("alternate-exchange", UNROUTABLE_EXCHANGE));
    channel.exchangeDeclare(EVENTS_EXCHANGE, BuiltinExchangeType.TOPIC, true);
    channel.exchangeDeclare(RELAY_EXCHANGE, BuiltinExchangeType.FANOUT, true);
    channel.exchangeDeclare(CONTROL_EXCHANGE, BuiltinExchangeType.FANOUT, true);
    channel.exchangeDeclare(DEAD_EXCHANGE, BuiltinExchangeType.FANOUT, true);
    channel.queueDeclare(DEAD_LETTER_QUEUE, true, false, false, quorum(Map.of()));
    channel.queueBind(DEAD_LETTER_QUEUE, DEAD_EXCHANGE, "");
    // why: one active consumer at a time keeps each job's events in emission order and makes
    // stored event ids grow in commit order, which gap-free SSE resumption relies on. Another
    // gateway replica takes over when the active one goes away.
    channel.queueDeclare(
        EVENTS_STORE_QUEUE, true, false, false, quorum(Map.of("x-single-active-consumer", true)));
    for (String key : new String[] {"job.#", "stage.#", "artifact.#"}) {
      channel.queueBind(EVENTS_STORE_QUEUE, EVENTS_EXCHANGE, key);
    }
  }

  /**
   * The durable work queue of one job type, bound to {@link #JOBS_EXCHANGE}. Rejected messages and
   * messages past {@link #DELIVERY_LIMIT} deliveries go to {@link #DEAD_EXCHANGE}, at least once
   * (which needs {@code reject-publish} overflow).
   */
  public static void declareWorkQueue(Channel channel, String jobType) throws IOException {
    channel.queueDeclare(
        workQueue(jobType),
        true,
        false,
        false,
        quorum(
            Map.of(
                "x-delivery-limit",
                DELIVERY_LIMIT,
                "x-dead-letter-exchange",
                DEAD_EXCHANGE,
                "x-dead-letter-strategy",
                "at-least-once",
                "x-overflow",
                "reject-publish")));
    channel.queueBind(workQueue(jobType), JOBS_EXCHANGE, jobType);
  }

  /**
   * The delay queue a retry of {@code jobType} waits in for {@code delayMillis} (rounded up to a
   * step): its messages expire into {@link #JOBS_EXCHANGE} with the type as routing key. Unused
   * delay queues delete themselves.
   *
   * <p>why quorum with {@code at-least-once} dead-lettering: an expired retry stays in the delay
   * queue until its work queue has confirmed it, so a broker restart (or a work queue that is
   * briefly unavailable) delays a retry but never drops it. That strategy needs {@code
   * reject-publish} overflow.
   *
   * <p>why redeclare before every publish: a queue's expiry counts from its last declaration, not
   * from its last publish, so declaring again keeps the queue alive for longer than any message in
   * it waits.
   *
   * @return the queue name; publish to it through the default exchange
   */
  public static String declareRetryQueue(Channel channel, String jobType, long delayMillis)
      throws IOException {
    long step = retryStep(delayMillis);
    String queue = RETRY_QUEUE_PREFIX + jobType + "." + step;
    channel.queueDeclare(
        queue,
        true,
        false,
        false,
        quorum(
            Map.of(
                "x-message-ttl",
                step,
                "x-dead-letter-exchange",
                JOBS_EXCHANGE,
                "x-dead-letter-routing-key",
                jobType,
                "x-dead-letter-strategy",
                "at-least-once",
                "x-overflow",
                "reject-publish",
                "x-expires",
                step + 600_000L)));
    return queue;
  }

  /** The smallest step not below {@code delayMillis} (the largest step for longer delays). */
  public static long retryStep(long delayMillis) {
    for (long step : RETRY_STEPS_MS) {
      if (step >= delayMillis) {
        return step;
      }
    }
    return RETRY_STEPS_MS[RETRY_STEPS_MS.length - 1];
  }

  /** 250 ms up to 1 h, each step about a quarter longer than the one before. */
  private static long[] retrySteps() {
    java.util.List<Long> steps = new java.util.ArrayList<>();
    for (double step = 250; step <= 3_600_000; step *= 1.25) {
      steps.add(Math.round(step / 50.0) * 50);
    }
    steps.add(3_600_000L);
    return steps.stream().mapToLong(Long::longValue).distinct().toArray();
  }

  /**
   * The private queue of one gateway replica: relayed events for its SSE clients and worker
   * heartbeats. It disappears with the replica's connection.
   */
  public static String declareGatewayQueue(Channel channel, String instanceId) throws IOException {
    String queue = "kiln.gateway." + instanceId;
    channel.queueDeclare(
        queue,
        false,
        true,
        true,
        Map.of("x-max-length", REPLICA_QUEUE_MAX_LENGTH, "x-overflow", "drop-head"));
    channel.queueBind(queue, RELAY_EXCHANGE, "");
    channel.queueBind(queue, EVENTS_EXCHANGE, "worker.heartbeat");
    return queue;
  }

  /** The private control queue of one worker process: cancellations. */
  public static String declareWorkerControlQueue(Channel channel, String workerId)
      throws IOException {
    String queue = "kiln.worker." + workerId;
    channel.queueDeclare(
        queue,
        false,
        true,
        true,
        Map.of("x-max-length", REPLICA_QUEUE_MAX_LENGTH, "x-overflow", "drop-head"));
    channel.queueBind(queue, CONTROL_EXCHANGE, "");
    return queue;
  }

  private static Map<String, Object> quorum(Map<String, Object> extra) {
    var args = new java.util.HashMap<String, Object>(extra);
    args.put("x-queue-type", "quorum");
    return args;
  }
}
