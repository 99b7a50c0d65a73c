package dev.kiln.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.gateway.Api;
import dev.kiln.gateway.jobs.Messages;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.WorkerHeartbeat;
import dev.kiln.model.fixtures.EventScript;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.fixtures.SseClient;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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
import org.junit.jupiter.api.Test;

/**
 * The gateway's metrics as Prometheus scrapes them from {@code /q/metrics}: each metric of the
 * issue appears, with its labels, after the action that feeds it. The test plays the worker's part
 * over the real broker (events and heartbeats), and asks the platform gauges for a fresh reading
 * instead of waiting for the collector's 15 s.
 */
@QuarkusTest
class PlatformMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static LocalBroker broker;

  @TestHTTPResource("/api/v1")
  URL api;

  @Inject PlatformGauges gauges;
  @Inject AgroalDataSource db;

  @BeforeAll
  static void connect() {
    broker = LocalBroker.connect();
  }

  @AfterAll
  static void disconnect() {
    broker.purge(Topology.workQueue("synthetic"));
    broker.close();
  }

  @Test
  void submittedJobsAreCountedByTypeAndTenant() {
    double before = Api.metric("kiln_jobs_submitted_total", "type=\"synthetic\"");

    UUID id = Api.submit("{\"stages\":1}");

    assertThat(Api.metric("kiln_jobs_submitted_total", "tenant=\"default\"", "type=\"synthetic\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(Api.metric("kiln_jobs_submitted_total", "type=\"synthetic\"") - before).isEqualTo(1);
    Api.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
  }

  @Test
  void aFinishedJobIsCountedByOutcomeAndItsDurationAndRelayLagAreRecorded() throws Exception {
    double finished =
        Api.metric("kiln_jobs_finished_total", "outcome=\"succeeded\"", "type=\"synthetic\"");
    double durations = Api.metric("kiln_job_duration_seconds_count", "type=\"synthetic\"");
    double relayed = Api.metric("kiln_event_relay_lag_seconds_count");
    UUID id = taken();

    EventScript w = new EventScript(id, 1, "metrics-worker");
    EventScript.publish(broker, w.started("stage-1"), w.succeeded());
    Api.awaitStatus(id, "succeeded");

    assertThat(
            Api.metric("kiln_jobs_finished_total", "outcome=\"succeeded\"", "type=\"synthetic\"")
                - finished)
        .isEqualTo(1);
    assertThat(Api.metric("kiln_job_duration_seconds_count", "type=\"synthetic\"") - durations)
        .isEqualTo(1);
    assertThat(Api.metric("kiln_job_duration_seconds_bucket", "type=\"synthetic\"", "le=\"+Inf\""))
        .as("a histogram, so dashboards can take percentiles")
        .isGreaterThanOrEqualTo(1);
    // why await: the relay reaches this replica's SSE hub after the store committed
    await()
        .atMost(WAIT)
        .until(() -> Api.metric("kiln_event_relay_lag_seconds_count") - relayed >= 2);
    assertThat(Api.metric("kiln_event_relay_lag_seconds_bucket", "le=\"+Inf\"")).isGreaterThan(0);
    // every outcome of every type is there from the start, at 0 until it happens
    for (String type : List.of("synthetic", "reconstruction", "extraction")) {
      for (String outcome : List.of("succeeded", "failed", "cancelled")) {
        assertThat(metricsText())
            .contains(
                "kiln_jobs_finished_total{outcome=\"" + outcome + "\",type=\"" + type + "\"}");
      }
    }
  }

  @Test
  void runningJobsQueueAgeAndDepthAreReadByTheCollector() throws Exception {
    UUID running = taken();
    EventScript w = new EventScript(running, 1, "metrics-worker");
    EventScript.publish(broker, w.started("stage-1"), w.stageStarted("stage-1", 0));
    Api.awaitStatus(running, "running");
    String jobs = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID queued = Api.submit("{\"stages\":1}");
    Messages.await(broker, jobs, queued, 1);
    waitedSince(queued, Instant.now().minusSeconds(120));

    gauges.collect();

    assertThat(Api.metric("kiln_jobs_running", "type=\"synthetic\"")).isGreaterThanOrEqualTo(1);
    assertThat(Api.metric("kiln_jobs_running", "type=\"extraction\"")).isNotNaN();
    assertThat(Api.metric("kiln_queue_oldest_job_age_seconds", "type=\"synthetic\""))
        .isGreaterThanOrEqualTo(119);
    assertThat(Api.metric("kiln_queue_depth", "queue=\"kiln.jobs.synthetic\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(Api.metric("kiln_queue_depth", "queue=\"kiln.dead-letters\""))
        .as("dead letters are recorded as they arrive")
        .isNotNaN()
        .isGreaterThanOrEqualTo(0);
    assertThat(Api.metric("kiln_outbox_pending")).isNotNaN().isGreaterThanOrEqualTo(0);

    EventScript.publish(broker, w.succeeded());
    Api.awaitStatus(running, "succeeded");
    Api.given().post("/api/v1/jobs/" + queued + "/cancel").then().statusCode(202);
    gauges.collect();
    // why extraction: no gateway test queues an extraction job, while other classes sharing this
    // database leave synthetic and reconstruction jobs queued
    assertThat(Api.metric("kiln_queue_oldest_job_age_seconds", "type=\"extraction\""))
        .as("no queued job of the type: 0, not a missing series")
        .isZero();
  }

  @Test
  void workersAreCountedByTypeFromTheirHeartbeats() throws Exception {
    broker.publish(
        Topology.EVENTS_EXCHANGE,
        WorkerHeartbeat.ROUTING_KEY,
        new WorkerHeartbeat(
            WorkerHeartbeat.VERSION,
            "metrics-extraction-worker",
            List.of("extraction"),
            List.of(),
            4,
            Instant.now()));

    await()
        .atMost(WAIT)
        .until(
            () -> {
              gauges.collect();
              return Api.metric("kiln_workers", "type=\"extraction\"") >= 1;
            });
    assertThat(metricsText()).contains("kiln_workers{type=\"reconstruction\"}");
  }

  @Test
  void openStreamsAreCounted() throws Exception {
    UUID id = Api.submit("{\"stages\":1}");
    double before = Api.metric("kiln_sse_clients");
    try (SseClient stream = SseClient.open(api + "/jobs/" + id + "/events", null, Api.ADMIN_KEY)) {
      assertThat(stream.status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> Api.metric("kiln_sse_clients") - before >= 1);
    }
    Api.given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202);
  }

  /** Submits a job and takes its message off the work queue, as a worker would. */
  private UUID taken() throws Exception {
    String jobs = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    UUID id = Api.submit("{\"stages\":1}");
    Messages.await(broker, jobs, id, 1);
    return id;
  }

  /** Makes a queued job look as if it had waited for a worker since {@code since}. */
  private void waitedSince(UUID id, Instant since) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("update jobs set updated_at = ? where id = ?")) {
      ps.setObject(1, java.sql.Timestamp.from(since));
      ps.setObject(2, id);
      ps.executeUpdate();
    }
  }

  private static String metricsText() {
    return Api.given().get("/q/metrics").then().statusCode(200).extract().asString();
  }
}
