package dev.kiln.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.kiln.gateway.Api;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.messages.JobMessage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboxRelayTest {

  /** A durable queue survives the broker restart below, unlike a test's exclusive tap. */
  private static final String DURABLE_TAP = "kiln-test.outbox-tap";

  @Inject Outbox outbox;
  @Inject Broker gatewayBroker;
  @Inject io.agroal.api.AgroalDataSource db;

  private static JobMessage message(UUID id) {
    return new JobMessage(
        JobMessage.VERSION, id, "synthetic", 1, null, List.of(), null, Instant.now());
  }

  @Test
  void aRolledBackTransactionPublishesNothingAndACommittedOnePublishes() throws Exception {
    try (LocalBroker broker = LocalBroker.connect()) {
      String tap = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
      UUID rolledBack = UUID.randomUUID();
      UUID committed = UUID.randomUUID();
      QuarkusTransaction.begin();
      outbox.enqueue(Topology.JOBS_EXCHANGE, "synthetic", UUID.randomUUID(), message(rolledBack));
      QuarkusTransaction.rollback();
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  outbox.enqueue(
                      Topology.JOBS_EXCHANGE, "synthetic", UUID.randomUUID(), message(committed)));

      List<UUID> seen = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < deadline) {
        GetResponse r = broker.next(tap, Duration.ofMillis(200));
        if (r != null) {
          seen.add(broker.read(r, JobMessage.class).jobId());
        }
      }
      assertThat(seen).contains(committed).doesNotContain(rolledBack);
      assertThat(OutboxMessage.count()).isZero();
    }
  }

  @Test
  void bulkAndSingleEnqueuesInOneTransactionTakeDistinctIdsAndAllPublish() throws Exception {
    try (LocalBroker broker = LocalBroker.connect()) {
      String tap = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
      List<UUID> jobs = new java.util.ArrayList<>();
      for (int i = 0; i < 62; i++) {
        jobs.add(UUID.randomUUID());
      }
      // why 60 in bulk between two single ones: the bulk ids span two blocks of the sequence,
      // and Hibernate draws its blocks from the same sequence on both sides
      QuarkusTransaction.requiringNew()
          .run(
              () -> {
                outbox.enqueue(
                    Topology.JOBS_EXCHANGE, "synthetic", UUID.randomUUID(), message(jobs.get(0)));
                outbox.enqueueAll(
                    jobs.subList(1, 61).stream()
                        .map(
                            id ->
                                new Outbox.Pending(
                                    Topology.JOBS_EXCHANGE,
                                    "synthetic",
                                    UUID.randomUUID(),
                                    message(id)))
                        .toList());
                outbox.enqueue(
                    Topology.JOBS_EXCHANGE, "synthetic", UUID.randomUUID(), message(jobs.get(61)));
              });

      java.util.Set<UUID> seen = new java.util.HashSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (seen.size() < jobs.size() && System.nanoTime() < deadline) {
        GetResponse r = broker.next(tap, Duration.ofMillis(200));
        if (r != null) {
          seen.add(broker.read(r, JobMessage.class).jobId());
        }
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(jobs);
    }
  }

  @Test
  void aMessageNoQueueTakesStaysInTheOutboxInsteadOfBeingConfirmedAway() throws Exception {
    UUID messageId = UUID.randomUUID();
    try (java.sql.Connection c = db.getConnection()) {
      try (java.sql.PreparedStatement ps =
          c.prepareStatement(
              "insert into outbox (id, exchange, routing_key, message_id, payload, created_at)"
                  + " values (nextval('outbox_seq'), ?, 'nothing.binds.this', ?, '{}', now())")) {
        ps.setString(1, Topology.EVENTS_EXCHANGE);
        ps.setObject(2, messageId);
        ps.executeUpdate();
      }
      try {
        // why: the poll runs every second; two runs had their chance to publish and delete it
        Thread.sleep(2500);
        try (java.sql.PreparedStatement ps =
            c.prepareStatement("select count(*) from outbox where message_id = ?")) {
          ps.setObject(1, messageId);
          try (java.sql.ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
          }
        }
      } finally {
        try (java.sql.PreparedStatement ps =
            c.prepareStatement("delete from outbox where message_id = ?")) {
          ps.setObject(1, messageId);
          ps.executeUpdate();
        }
      }
    }
  }

  @Test
  void aRowLeftByAGatewayThatDiedBeforePublishingIsPublishedByThePoll() throws Exception {
    try (LocalBroker broker = LocalBroker.connect()) {
      String tap = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
      UUID orphan = UUID.randomUUID();
      // why: a plain insert fires no wake-up, exactly like a row committed by a process that was
      // killed before its relay ran
      try (java.sql.Connection c = db.getConnection();
          java.sql.PreparedStatement ps =
              c.prepareStatement(
                  "insert into outbox (id, exchange, routing_key, message_id, payload, created_at)"
                      + " values (nextval('outbox_seq'), ?, ?, ?, ?, now())")) {
        ps.setString(1, Topology.JOBS_EXCHANGE);
        ps.setString(2, "synthetic");
        ps.setObject(3, UUID.randomUUID());
        ps.setBytes(4, dev.kiln.model.json.KilnJson.mapper().writeValueAsBytes(message(orphan)));
        ps.executeUpdate();
      }
      boolean found = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!found && System.nanoTime() < deadline) {
        GetResponse r = broker.next(tap, Duration.ofMillis(200));
        found = r != null && broker.read(r, JobMessage.class).jobId().equals(orphan);
      }
      assertThat(found).as("orphaned outbox row published by the periodic poll").isTrue();
    }
  }

  @Test
  void jobsSubmittedWhileTheBrokerIsDownArePublishedWhenItReturns() throws Exception {
    try (LocalBroker broker = LocalBroker.connect()) {
      Channel ch = broker.channel();
      ch.queueDeclare(DURABLE_TAP, true, false, false, null);
      ch.queueBind(DURABLE_TAP, Topology.JOBS_EXCHANGE, "synthetic");
      ch.queuePurge(DURABLE_TAP);
    }
    UUID id;
    rabbitmqctl("stop_app");
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> !gatewayBroker.isConnected());
      id = Api.submit("{\"stages\":0}");
      assertThat(OutboxMessage.count()).isPositive();
    } finally {
      rabbitmqctl("start_app");
    }
    await().atMost(Duration.ofSeconds(60)).until(gatewayBroker::isConnected);
    try (LocalBroker broker = LocalBroker.connect()) {
      boolean found = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!found && System.nanoTime() < deadline) {
        GetResponse r = broker.next(DURABLE_TAP, Duration.ofMillis(500));
        found = r != null && broker.read(r, JobMessage.class).jobId().equals(id);
      }
      assertThat(found).as("job message published after the broker returned").isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> QuarkusTransaction.requiringNew().call(() -> OutboxMessage.count()) == 0);
      broker.channel().queueDelete(DURABLE_TAP);
    }
  }

  private static void rabbitmqctl(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("rabbitmqctl " + command + " failed: " + out);
    }
  }
}
