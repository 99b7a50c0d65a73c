package dev.kiln.gateway.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several replicas poll the same table: a due delivery must go to exactly one of them. Played here
 * by concurrent claims against the real database, at a clock an hour ahead so the running
 * dispatcher does not see these rows as due.
 */
@QuarkusTest
class WebhookClaimTest {

  @Inject WebhookDeliveries deliveries;
  @Inject AgroalDataSource db;

  @Test
  void concurrentClaimsNeverHandOutTheSameDeliveryTwice() throws Exception {
    UUID job = Api.submit("{}");
    Instant later = Instant.now().plus(Duration.ofHours(1));
    Set<UUID> mine = insert(job, 40, later);
    Instant clock = later.plus(Duration.ofHours(1));
    CountDownLatch go = new CountDownLatch(1);
    Callable<List<UUID>> replica =
        () -> {
          go.await();
          List<UUID> got = new ArrayList<>();
          List<WebhookDeliveries.Claimed> batch;
          do {
            batch = deliveries.claim(7, clock, clock.plus(Duration.ofHours(1)));
            batch.stream()
                .map(WebhookDeliveries.Claimed::id)
                .filter(mine::contains)
                .forEach(got::add);
          } while (!batch.isEmpty());
          return got;
        };
    List<UUID> all = new ArrayList<>();
    try (ExecutorService replicas = Executors.newFixedThreadPool(4)) {
      List<Future<List<UUID>>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(replicas.submit(replica));
      }
      go.countDown();
      for (Future<List<UUID>> r : results) {
        all.addAll(r.get());
      }
    } finally {
      delete(mine);
    }

    assertThat(all).doesNotHaveDuplicates();
    assertThat(new HashSet<>(all)).isEqualTo(mine);
  }

  private Set<UUID> insert(UUID job, int n, Instant due) throws Exception {
    Set<UUID> ids = new HashSet<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "insert into webhook_deliveries (id, job_id, event_type, url, body, status,"
                    + " created_at, next_attempt_at, updated_at) values (?, ?, 'job.succeeded',"
                    + " 'http://127.0.0.1:9/', '{}', 'pending', now(), ?, now())")) {
      for (int i = 0; i < n; i++) {
        UUID id = UUID.randomUUID();
        ids.add(id);
        ps.setObject(1, id);
        ps.setObject(2, job);
        ps.setTimestamp(3, Timestamp.from(due));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return ids;
  }

  private void delete(Set<UUID> ids) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("delete from webhook_deliveries where id = any(?)")) {
      ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
      ps.executeUpdate();
    }
  }
}
