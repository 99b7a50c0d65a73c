package dev.kiln.worker.broker;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.Channel;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.config.BrokerConfig;
import dev.kiln.worker.execution.JobExecutor;
import dev.kiln.worker.testing.BrokerProbe;
import dev.kiln.worker.testing.BrokerProbe.Received;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Channels the broker closes with a channel-level error (consumer timeout, a failed declaration, an
 * operator) are not recovered by the client's automatic recovery, which covers connections only.
 * These tests break the worker's channels that way and expect it to carry on.
 */
@QuarkusTest
class WorkChannelRecoveryTest {

  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);

  @Inject BrokerConfig brokerConfig;
  @Inject WorkConsumers consumers;
  @Inject EventPublisher publisher;
  @Inject JobExecutor executor;

  private BrokerProbe probe;

  @BeforeEach
  void connect() throws Exception {
    probe = new BrokerProbe(brokerConfig.settings());
    probe.purge(Topology.workQueue("synthetic"));
  }

  @AfterEach
  void disconnect() throws Exception {
    // why: the next test class shares this worker; leave it consuming and publishing
    awaitReady();
    // why: a job's slot is freed just after its terminal event; the next test counts free slots
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (executor.runningCount() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    probe.close();
  }

  @Test
  void eventThatNoQueueTakesIsNotConfirmedAsPublished() throws Exception {
    awaitReady();
    // why: the probe listens to every event; without it nothing binds this routing key
    probe.close();
    try {
      java.util.concurrent.CompletableFuture<Void> unrouted =
          publisher.publishEvent(
              "nothing.binds.this", java.util.UUID.randomUUID().toString(), new byte[] {});

      assertThat(unrouted)
          .failsWithin(Duration.ofSeconds(5))
          .withThrowableThat()
          .withMessageContaining("no queue took");
    } finally {
      probe = new BrokerProbe(brokerConfig.settings());
    }
  }

  @Test
  void workChannelClosedByTheBrokerIsReopenedAndReadinessIsDownMeanwhile() throws Exception {
    Channel before = consumers.channelOf("synthetic");

    breakWithChannelError(before);

    assertThat(before.isOpen()).isFalse();
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'broker' }.status", is("DOWN"));
    JobMessage job = job(1, 0);
    probe.publishJob(job);
    List<Received> events = probe.awaitTerminal(job.jobId(), JOB_TIMEOUT);
    assertThat(events.getLast().event().payload()).isInstanceOf(EventPayload.JobSucceeded.class);
    assertThat(consumers.channelOf("synthetic")).isNotSameAs(before);
    assertThat(consumers.channelOf("synthetic").isOpen()).isTrue();
  }

  @Test
  void eventChannelClosedByTheBrokerMidJobIsReopenedAndEventsKeepTheirOrder() throws Exception {
    JobMessage job = job(4, 400);
    probe.publishJob(job);
    probe.await(job.jobId(), e -> e.payload() instanceof EventPayload.StageProgress, JOB_TIMEOUT);

    breakWithChannelError(publisher.channel());

    probe.awaitTerminal(job.jobId(), JOB_TIMEOUT);
    // why: events in flight when the channel closed are republished with their ids; the gateway
    // keeps the first copy of each, so that is the order it sees
    List<JobEvent> firstCopies = new ArrayList<>();
    Set<UUID> seen = new HashSet<>();
    for (Received r : probe.eventsOf(job.jobId())) {
      if (seen.add(r.event().eventId())) {
        firstCopies.add(r.event());
      }
    }
    assertThat(firstCopies)
        .extracting(JobEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, firstCopies.size()).boxed().toList());
    assertThat(firstCopies.getLast().type()).isEqualTo("job.succeeded");
    assertThat(firstCopies).filteredOn(JobEvent::isTerminal).hasSize(1);
  }

  /** A passive declaration of a missing queue: the broker closes the channel with 404. */
  private static void breakWithChannelError(Channel channel) {
    assertThatThrownBy(() -> channel.queueDeclarePassive("kiln.test.missing-" + UUID.randomUUID()))
        .isInstanceOf(IOException.class);
  }

  private static void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (given().get("/q/health/ready").statusCode() != 200) {
      assertThat(System.nanoTime()).as("worker ready again").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static JobMessage job(int stages, long stageMillis) {
    return new JobMessage(
        JobMessage.VERSION,
        UUID.randomUUID(),
        "synthetic",
        1,
        JsonNodeFactory.instance.objectNode().put("stages", stages).put("stageMillis", stageMillis),
        List.of(),
        null,
        Instant.now());
  }
}
