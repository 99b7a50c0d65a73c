package dev.kiln.gateway.watchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.gateway.Api;
import dev.kiln.gateway.jobs.Messages;
import dev.kiln.gateway.storage.ObjectStore;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.WorkerHeartbeat;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.fixtures.SseClient;
import dev.kiln.model.fixtures.SseClient.Frame;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.model.storage.WorkArea;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog (every second in tests, 5 s of silence) recovers running jobs whose worker went
 * silent. A test makes a job silent by moving its last signs of life a minute back.
 */
@QuarkusTest
class WatchdogTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static LocalBroker broker;

  @TestHTTPResource("/api/v1")
  URL api;

  @Inject AgroalDataSource db;
  @Inject ObjectStore store;

  @BeforeAll
  static void connect() {
    broker = LocalBroker.connect();
  }

  /**
   * why: jobs other test classes left running have no worker either; the watchdog would recover
   * them first, and the next attempts it publishes, with no worker to take them, would keep the
   * work queue non-empty, which (rightly) stops it from judging the job under test.
   */
  @BeforeEach
  void noOtherUnfinishedJobs() throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update jobs set status = 'failed', finished_at = now()"
                    + " where status in ('queued', 'running')")) {
      ps.executeUpdate();
    }
    broker.purge(Topology.workQueue("synthetic"));
  }

  @AfterAll
  static void disconnect() {
    broker.close();
  }

  /**
   * Submits a job and takes its message off the work queue, as a worker would. why wait for the
   * copy: the outbox publishes after the commit, and a purge before that would purge nothing.
   */
  private UUID submittedAndTaken(String request) throws Exception {
    String jobs = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID id = Api.submitRequest(request);
    Messages.await(broker, jobs, id, 1);
    broker.purge(Topology.workQueue("synthetic"));
    return id;
  }

  private UUID runningJob(String request) throws Exception {
    UUID id = submittedAndTaken(request);
    EventScript w = new EventScript(id, 1, "lost-worker");
    EventScript.publish(broker, w.started("stage-1"), w.stageStarted("stage-1", 0));
    Api.awaitStatus(id, "running");
    return id;
  }

  private void silence(UUID id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update jobs set last_event_at = now() - interval '1 minute',"
                    + " updated_at = now() - interval '1 minute' where id = ?")) {
      ps.setObject(1, id);
      ps.executeUpdate();
    }
  }

  @Test
  void aSilentJobWithAttemptsLeftIsRequeuedAsItsNextAttempt() throws Exception {
    double before = Api.metric("kiln_watchdog_recovered_total", "outcome=\"retried\"");
    String jobs = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID id = runningJob("{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    try (SseClient sse =
        SseClient.open(api + "/jobs/" + id + "/events", null, dev.kiln.gateway.Api.ADMIN_KEY)) {
      silence(id);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> Api.job(id).getInt("attempt") == 2);
      JsonPath job = Api.job(id);
      assertThat(job.getString("status")).isEqualTo("queued");
      assertThat(job.getString("lastError.code")).isEqualTo("WORKER_LOST");
      assertThat(job.getString("lastError.stage")).isEqualTo("stage-1");
      assertThat(Instant.parse(job.getString("nextRunAt"))).isBefore(Instant.now());
      JobMessage next = Messages.await(broker, jobs, id, 2);
      assertThat(next.policy().maxAttempts()).isEqualTo(3);
      // why: attempt 1's message may still be in the broker; workers ack it unrun
      assertThat(store.stat(WorkArea.supersededKey(id, 1))).isPresent();
      assertThat(Api.metric("kiln_watchdog_recovered_total", "outcome=\"retried\"") - before)
          .isGreaterThanOrEqualTo(1);

      List<Frame> frames = sse.take(3, WAIT);
      assertThat(frames)
          .extracting(Frame::event)
          .containsExactly("job.started", "stage.started", "job.retrying");
      assertThat(frames.get(2).data()).contains("\"source\":\"gateway\"", "WORKER_LOST");

      EventScript second = new EventScript(id, 2, "w2");
      EventScript.publish(broker, second.started("stage-1"), second.succeeded());
      assertThat(sse.untilEnd(WAIT)).extracting(Frame::event).endsWith("job.succeeded");
    }
    assertThat(Api.job(id).getString("status")).isEqualTo("succeeded");
  }

  @Test
  void aSilentJobOnItsLastAttemptFailsRetryably() throws Exception {
    UUID id = runningJob("{\"type\":\"synthetic\",\"retry\":{\"maxAttempts\":1}}");
    silence(id);
    JsonPath job = Api.awaitStatus(id, "failed");
    assertThat(job.getString("error.code")).isEqualTo("WORKER_LOST");
    assertThat(job.getBoolean("error.retryable")).isTrue();
    assertThat(job.getInt("attempt")).isEqualTo(1);
  }

  @Test
  void aSilentJobWithACancelRequestEndsCancelled() throws Exception {
    UUID id = runningJob("{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    dev.kiln.gateway.Api.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
    silence(id);
    JsonPath job = Api.awaitStatus(id, "cancelled");
    assertThat(job.getInt("attempt")).isEqualTo(1);
  }

  @Test
  void aJobThatALiveWorkerListsIsLeftAlone() throws Exception {
    UUID listed = runningJob("{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    UUID unlisted = runningJob("{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    // the listed job's worker is alive and busy in a long stage without progress reports
    heartbeatListing(listed);
    // why: the registry must have heard the worker before the job looks silent
    Thread.sleep(500);
    silence(listed);
    silence(unlisted);
    long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    while (System.nanoTime() < until) {
      heartbeatListing(listed);
      Thread.sleep(300);
    }
    assertThat(Api.job(unlisted).getInt("attempt")).isEqualTo(2);
    assertThat(Api.job(listed).getString("status")).isEqualTo("running");
    assertThat(Api.job(listed).getInt("attempt")).isEqualTo(1);
  }

  private void heartbeatListing(UUID job) throws Exception {
    broker.publish(
        Topology.EVENTS_EXCHANGE,
        WorkerHeartbeat.ROUTING_KEY,
        new WorkerHeartbeat(
            WorkerHeartbeat.VERSION,
            "busy-worker",
            List.of("synthetic"),
            List.of(job),
            4,
            Instant.now()));
  }

  @Test
  void aRetryThatIsOverdueIsPublishedAgainOnceAndRunsNormally() throws Exception {
    UUID id = submittedAndTaken("{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    String jobs = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    EventScript first = new EventScript(id, 1, "w1");
    // the worker put attempt 2 in a delay queue that the broker then lost
    EventScript.publish(
        broker,
        first.started("stage-1"),
        first.next(
            new EventPayload.JobRetrying(
                2, Instant.now().plusMillis(200), "SYNTHETIC_FAILURE", "failed", "stage-1")));
    Api.awaitStatus(id, "queued");
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update jobs set last_event_at = now() - interval '1 minute',"
                    + " updated_at = now() - interval '1 minute',"
                    + " next_run_at = now() - interval '1 minute' where id = ?")) {
      ps.setObject(1, id);
      ps.executeUpdate();
    }

    JobMessage again = Messages.await(broker, jobs, id, 2);

    assertThat(again.attempt()).isEqualTo(2);
    // why: republished once per quiet period, not on every watchdog run
    Thread.sleep(2500);
    assertThat(nextMessageOf(jobs, id)).isNull();
    EventScript second = new EventScript(id, 2, "w2");
    EventScript.publish(broker, second.started("stage-1"), second.succeeded());
    assertThat(Api.awaitStatus(id, "succeeded").getInt("attempt")).isEqualTo(2);
  }

  private JobMessage nextMessageOf(String tap, UUID id) throws Exception {
    for (var r = broker.next(tap, Duration.ofMillis(200));
        r != null;
        r = broker.next(tap, Duration.ofMillis(200))) {
      JobMessage m = broker.read(r, JobMessage.class);
      if (m.jobId().equals(id)) {
        return m;
      }
    }
    return null;
  }

  @Test
  void aSilentJobWhoseTypeHasMessagesWaitingIsLeftAlone() throws Exception {
    UUID id = runningJob("{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    // its message may be among those waiting: redelivered after a crash, with no worker free
    String jobs = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID waiting = Api.submitRequest("{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    Messages.await(broker, jobs, waiting, 1);
    silence(id);
    Thread.sleep(3000);
    assertThat(Api.job(id).getString("status")).isEqualTo("running");
    assertThat(Api.job(id).getInt("attempt")).isEqualTo(1);

    broker.purge(Topology.workQueue("synthetic"));
    assertThat(Api.awaitStatus(id, "queued").getInt("attempt")).isEqualTo(2);
  }

  @Test
  void aLateGatewayDecisionAboutAnOlderAttemptIsNotStoredBehindTheJobsEnd() throws Exception {
    UUID id = submittedAndTaken("{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    EventScript first = new EventScript(id, 1, "w1");
    EventScript.publish(
        broker,
        first.started("stage-1"),
        first.next(new EventPayload.JobRetrying(2, Instant.now(), "FLAKY", "failed", "stage-1")));
    Api.awaitStatus(id, "queued");
    EventScript second = new EventScript(id, 2, "w2");
    EventScript.publish(broker, second.started("stage-1"), second.succeeded());
    Api.awaitStatus(id, "succeeded");

    // a watchdog decision about attempt 1 whose outbox row was published late
    EventScript late = new EventScript(id, 1, "gateway");
    EventScript.publish(
        broker,
        late.next(
            new EventPayload.JobRetrying(2, Instant.now(), "WORKER_LOST", "lost", "stage-1")));
    EventScript.publish(broker, second.next(new EventPayload.StageStarted("marker", 9)));
    Thread.sleep(1500);

    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select type from job_events where job_id = ? order by id desc limit 1")) {
      ps.setObject(1, id);
      try (var rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("job.succeeded");
      }
    }
  }

  @Test
  void aJobWithRecentEventsIsLeftAlone() throws Exception {
    UUID id = runningJob("{\"type\":\"synthetic\",\"params\":{\"stages\":1}}");
    Thread.sleep(2500);
    JsonPath job = Api.job(id);
    assertThat(job.getString("status")).isEqualTo("running");
    assertThat(job.getInt("attempt")).isEqualTo(1);
  }
}
