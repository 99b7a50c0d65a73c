package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.json.KilnJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway replica dies right after it accepted a job, before its outbox relay got the job message
 * confirmed by the broker. Gateway B reaches RabbitMQ through a {@link TcpProxy} the test stalls,
 * so that moment is not left to chance.
 */
@ExtendWith(ProcessLogsOnFailure.class)
class GatewayFailoverSystemTest {

  private static TcpProxy brokerLinkOfB;
  private static KilnCluster cluster;
  private static KilnApi gatewayA;
  private static KilnApi gatewayB;

  @BeforeAll
  static void startCluster() throws Exception {
    brokerLinkOfB = TcpProxy.start(KilnCluster.BROKER_PORT);
    cluster =
        KilnCluster.builder(GatewayFailoverSystemTest.class.getSimpleName())
            .gateways(2)
            .workers(1)
            .gatewayEnv(1, "KILN_BROKER_PORT", Integer.toString(brokerLinkOfB.port()))
            .start();
    gatewayA = cluster.api(0);
    gatewayB = cluster.api(1);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (brokerLinkOfB != null) {
      brokerLinkOfB.close();
    }
  }

  @Test
  void gatewayKilledAfterAcceptingStillPublishes() throws Exception {
    // the proxied gateway works while its broker link flows
    UUID warmup = gatewayB.submitSynthetic("{\"stages\":1,\"stageMillis\":50}");
    gatewayA.awaitStatus(warmup, "succeeded", Duration.ofSeconds(20));

    try (Connection broker = KilnCluster.connectBroker("kiln-system-test-tap");
        Channel tap = broker.createChannel()) {
      // a copy of every synthetic job message the relays publish
      String jobMessages = tap.queueDeclare().getQueue();
      tap.queueBind(jobMessages, "kiln.jobs", "synthetic");

      brokerLinkOfB.pause();
      UUID id =
          gatewayB.submitSynthetic("{\"stages\":2,\"stageMillis\":200,\"artifactBytes\":2048}");
      assertThat(publishedJobIds(tap, jobMessages, null, Duration.ofSeconds(2)))
          .as("B cannot have its publish confirmed while its broker link is stalled")
          .doesNotContain(id.toString());
      assertThat(gatewayA.job(id).path("status").asText()).isEqualTo("queued");

      cluster.gateway(1).kill();
      brokerLinkOfB.close();
      assertThat(cluster.gateway(1).isAlive()).isFalse();

      // B's claim on the outbox row dies with its database session; A's relay polls every second
      assertThat(publishedJobIds(tap, jobMessages, id.toString(), Duration.ofSeconds(15)))
          .as("job messages published after B died")
          .contains(id.toString());
      gatewayA.awaitStatus(id, "succeeded", Duration.ofSeconds(30));
      List<Event> events;
      try (SseClient stream = gatewayA.jobEvents(id, null)) {
        events = Event.of(stream.untilEnd(Duration.ofSeconds(10)));
      }
      assertThat(events).extracting(Event::type).containsOnlyOnce("job.started");
      assertThat(events.getLast().type()).isEqualTo("job.succeeded");
    }
  }

  /**
   * Job ids of the messages arriving on the tap within {@code window}, or until {@code awaited}.
   */
  private static List<String> publishedJobIds(
      Channel tap, String queue, String awaited, Duration window) throws Exception {
    List<String> ids = new ArrayList<>();
    long deadline = System.nanoTime() + window.toNanos();
    while (System.nanoTime() < deadline && !ids.contains(awaited)) {
      GetResponse message = tap.basicGet(queue, true);
      if (message == null) {
        Thread.sleep(50);
      } else {
        ids.add(KilnJson.mapper().readTree(message.getBody()).path("jobId").asText());
      }
    }
    return ids;
  }
}
