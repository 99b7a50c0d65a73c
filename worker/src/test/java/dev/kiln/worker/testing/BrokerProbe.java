package dev.kiln.worker.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.kiln.model.broker.BrokerSettings;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.events.JobEventBatch;
import dev.kiln.model.events.WorkerHeartbeat;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.CancelCommand;
import dev.kiln.model.messages.JobMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The outside view of a worker in integration tests: publishes job messages and cancel commands
 * like the gateway does, and records everything on {@code kiln.events} through a temporary queue.
 */
public final class BrokerProbe implements AutoCloseable {

  /** An event as it arrived, with the envelope facts the contract requires. */
  public record Received(JobEvent event, String routingKey, AMQP.BasicProperties props) {}

  private final Connection connection;
  private final Channel channel;
  private final List<Received> events = new CopyOnWriteArrayList<>();
  private final List<WorkerHeartbeat> heartbeats = new CopyOnWriteArrayList<>();

  public BrokerProbe(BrokerSettings settings) throws IOException, TimeoutException {
    connection = settings.connectionFactory().newConnection("kiln-worker-test-probe");
    channel = connection.createChannel();
    Topology.declareShared(channel);
    String queue = channel.queueDeclare().getQueue();
    channel.queueBind(queue, Topology.EVENTS_EXCHANGE, "#");
    channel.confirmSelect();
    channel.basicConsume(
        queue,
        true,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
              throws IOException {
            if (WorkerHeartbeat.ROUTING_KEY.equals(envelope.getRoutingKey())) {
              heartbeats.add(KilnJson.mapper().readValue(body, WorkerHeartbeat.class));
            } else if (JobEventBatch.CONTENT_TYPE.equals(props.getContentType())) {
              for (JobEvent event :
                  KilnJson.mapper().readValue(body, JobEventBatch.class).events()) {
                events.add(new Received(event, envelope.getRoutingKey(), props));
              }
            } else {
              JobEvent event = KilnJson.mapper().readValue(body, JobEvent.class);
              events.add(new Received(event, envelope.getRoutingKey(), props));
            }
          }
        });
  }

  public void purge(String queue) throws IOException {
    synchronized (channel) {
      channel.queuePurge(queue);
    }
  }

  /** A message taken from the dead-letter queue. */
  public record DeadLetter(byte[] body, AMQP.BasicProperties props) {}

  private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

  /**
   * Takes (and acks) whatever waits in {@code kiln.dead-letters} and returns every dead letter
   * taken so far.
   */
  public List<DeadLetter> deadLetters() throws IOException {
    synchronized (channel) {
      for (GetResponse r = channel.basicGet(Topology.DEAD_LETTER_QUEUE, true);
          r != null;
          r = channel.basicGet(Topology.DEAD_LETTER_QUEUE, true)) {
        deadLetters.add(new DeadLetter(r.getBody(), r.getProps()));
      }
    }
    return List.copyOf(deadLetters);
  }

  /** Messages ready in a queue, or -1 when it does not exist. */
  public long readyMessages(String queue) throws IOException, TimeoutException {
    try (Channel ch = connection.createChannel()) {
      return ch.queueDeclarePassive(queue).getMessageCount();
    } catch (IOException e) {
      return -1;
    }
  }

  public void publishJob(JobMessage job) throws Exception {
    publishRaw(job.type(), KilnJson.mapper().writeValueAsBytes(job));
  }

  public void publishRaw(String routingKey, byte[] body) throws Exception {
    publishRaw(routingKey, body, null);
  }

  /** Publishes a job message with the given AMQP headers (trace context, for one). */
  public void publishJob(JobMessage job, java.util.Map<String, Object> headers) throws Exception {
    publishRaw(job.type(), KilnJson.mapper().writeValueAsBytes(job), headers);
  }

  private void publishRaw(String routingKey, byte[] body, java.util.Map<String, Object> headers)
      throws Exception {
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .headers(headers)
            .build();
    synchronized (channel) {
      channel.basicPublish(Topology.JOBS_EXCHANGE, routingKey, true, props, body);
      channel.waitForConfirmsOrDie(5_000);
    }
  }

  public void publishCancel(CancelCommand command) throws Exception {
    synchronized (channel) {
      channel.basicPublish(
          Topology.CONTROL_EXCHANGE, "", null, KilnJson.mapper().writeValueAsBytes(command));
      channel.waitForConfirmsOrDie(5_000);
    }
  }

  /** Events of one job in arrival order. */
  public List<Received> eventsOf(UUID jobId) {
    List<Received> mine = new ArrayList<>();
    for (Received r : events) {
      if (r.event().jobId().equals(jobId)) {
        mine.add(r);
      }
    }
    return mine;
  }

  /** Waits for the job's terminal event and returns all its events in arrival order. */
  public List<Received> awaitTerminal(UUID jobId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<Received> mine = eventsOf(jobId);
      if (mine.stream().anyMatch(r -> r.event().isTerminal())) {
        return mine;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "no terminal event for job " + jobId + " within " + timeout + "; got " + eventsOf(jobId));
  }

  /** Waits for the first event of the job that matches. */
  public Received await(UUID jobId, Predicate<JobEvent> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Received r : eventsOf(jobId)) {
        if (match.test(r.event())) {
          return r;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no matching event for job " + jobId + "; got " + eventsOf(jobId));
  }

  public WorkerHeartbeat awaitHeartbeat(String workerId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (WorkerHeartbeat h : heartbeats) {
        if (h.workerId().equals(workerId)) {
          return h;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no heartbeat from " + workerId + " within " + timeout);
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }
}
