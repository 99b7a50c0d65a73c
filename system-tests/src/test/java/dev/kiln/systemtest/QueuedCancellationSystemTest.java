package dev.kiln.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.fixtures.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workers that run one job at a time, so a job can be held in the queue behind busy workers and
 * cancelled there.
 */
@ExtendWith(ProcessLogsOnFailure.class)
class QueuedCancellationSystemTest {

  @RegisterExtension
  static final ClusterPerClass CLUSTER =
      ClusterPerClass.of(c -> c.gateways(1).workers(2).workerConcurrency(1));

  @Test
  void cancelWhileQueuedNeverRuns() throws Exception {
    String busy = "{\"stages\":1,\"stageMillis\":4000,\"artifactBytes\":1024}";
    UUID first = CLUSTER.api().submitSynthetic(busy);
    UUID second = CLUSTER.api().submitSynthetic(busy);
    CLUSTER.api().awaitStatus(first, "running", Duration.ofSeconds(15));
    CLUSTER.api().awaitStatus(second, "running", Duration.ofSeconds(15));
    assertThat(List.of(startedBy(first), startedBy(second)))
        .as("each worker runs one of the long jobs")
        .containsExactlyInAnyOrder("sys-worker-1", "sys-worker-2");

    UUID queued =
        CLUSTER.api().submitSynthetic("{\"stages\":1,\"stageMillis\":100,\"artifactBytes\":1024}");
    assertThat(CLUSTER.api().job(queued).path("status").asText())
        .as("no worker has a free slot for the third job")
        .isEqualTo("queued");

    KilnApi.Response cancel = CLUSTER.api().cancel(queued);
    assertThat(cancel.status()).as("cancel answer: %s", cancel).isEqualTo(202);
    assertThat(cancel.json().path("status").asText()).isEqualTo("cancelled");
    assertThat(cancel.json().path("cancelRequested").asBoolean()).isTrue();

    CLUSTER.api().awaitStatus(first, "succeeded", Duration.ofSeconds(20));
    CLUSTER.api().awaitStatus(second, "succeeded", Duration.ofSeconds(20));
    // why: the queue is FIFO, so once a job submitted after the cancelled one has run, a worker
    // has been handed the cancelled job's message and had its chance to (wrongly) run it
    UUID probe = CLUSTER.api().submitSynthetic("{\"stages\":1,\"stageMillis\":50}");
    CLUSTER.api().awaitStatus(probe, "succeeded", Duration.ofSeconds(20));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        CLUSTER
                            .api()
                            .get("/api/v1/stats")
                            .json()
                            .path("queues")
                            .path("kiln.jobs.synthetic")
                            .asLong())
                    .as("ready messages in kiln.jobs.synthetic")
                    .isZero());
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () ->
                assertThat(CLUSTER.api().job(queued).path("status").asText())
                    .isEqualTo("cancelled"));

    JsonNode job = CLUSTER.api().job(queued);
    assertThat(job.path("startedAt").isMissingNode() || job.path("startedAt").isNull()).isTrue();
    assertThat(job.path("attempt").asInt()).isEqualTo(1);
    List<Event> events;
    try (SseClient stream = CLUSTER.api().jobEvents(queued, null)) {
      events = Event.of(stream.untilEnd(Duration.ofSeconds(10)));
    }
    assertThat(events).extracting(Event::type).containsExactly("job.cancelled");
    assertThat(events.getFirst().data().path("source").asText()).isEqualTo("gateway");
    assertThat(CLUSTER.cluster().objectKeys("artifacts/" + queued + "/")).isEmpty();
  }

  private static String startedBy(UUID id) throws InterruptedException {
    try (SseClient stream = CLUSTER.api().jobEvents(id, null)) {
      SseClient.Frame first = stream.next(Duration.ofSeconds(10));
      assertThat(first).as("first event of job %s", id).isNotNull();
      Event started = Event.of(first);
      assertThat(started.type()).isEqualTo("job.started");
      return started.data().path("source").asText();
    }
  }
}
