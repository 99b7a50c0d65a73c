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
    // why: one active consumer at a time keeps each job's events in emission order and makes
    // stored event ids grow in commit order, which gap-free SSE resumption relies on. Another
    // gateway replica takes over when the active one goes away.
    channel.queueDeclare(
        EVENTS_STORE_QUEUE, true, false, false, quorum(Map.of("x-single-active-consumer", true)));
    for (String key : new String[] {"job.#", "stage.#", "artifact.#"}) {
      channel.queueBind(EVENTS_STORE_QUEUE, EVENTS_EXCHANGE, key);
    }
  }

  /** The durable work queue of one job type, bound to {@link #JOBS_EXCHANGE}. */
  public static void declareWorkQueue(Channel channel, String jobType) throws IOException {
    channel.queueDeclare(workQueue(jobType), true, false, false, quorum(Map.of()));
    channel.queueBind(workQueue(jobType), JOBS_EXCHANGE, jobType);
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
