package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.config.BrokerConfig;
import dev.kiln.worker.testing.BrokerProbe;
import dev.kiln.worker.testing.BrokerProbe.Received;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trace context crosses the real broker both ways: a job message's {@code traceparent} becomes
 * the parent of the run's spans, and the events the run publishes carry the same trace.
 */
@QuarkusTest
class TracePropagationTest {

  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);

  @Inject BrokerConfig brokerConfig;
  @Inject InMemorySpanExporter spans;

  private BrokerProbe probe;

  @BeforeEach
  void connect() throws Exception {
    probe = new BrokerProbe(brokerConfig.settings());
    probe.purge(Topology.workQueue("synthetic"));
  }

  @AfterEach
  void disconnect() throws Exception {
    probe.close();
  }

  @Test
  void jobMessageTraceBecomesParentOfRunStagesAndEvents() throws Exception {
    String traceId = randomHex(32);
    String parentSpanId = randomHex(16);
    JobMessage job = job();
    probe.publishJob(job, Map.of("traceparent", "00-" + traceId + "-" + parentSpanId + "-01"));

    List<Received> events = probe.awaitTerminal(job.jobId(), JOB_TIMEOUT);

    assertThat(events)
        .allSatisfy(
            r ->
                assertThat(String.valueOf(r.props().getHeaders().get("traceparent")))
                    .startsWith("00-" + traceId + "-"));
    SpanData run = awaitSpan(job, "job synthetic");
    assertThat(run.getTraceId()).isEqualTo(traceId);
    assertThat(run.getParentSpanId()).isEqualTo(parentSpanId);
    awaitSpan(job, "stage stage-2");
    assertThat(spansOf(job))
        .filteredOn(s -> s.getName().startsWith("stage "))
        .extracting(SpanData::getName)
        .containsExactlyInAnyOrder("stage stage-1", "stage stage-2");
    assertThat(spansOf(job))
        .filteredOn(s -> s.getName().startsWith("stage "))
        .allSatisfy(
            s -> {
              assertThat(s.getTraceId()).isEqualTo(traceId);
              assertThat(s.getParentSpanId()).isEqualTo(run.getSpanId());
            });
  }

  @Test
  void messageWithoutOrWithMalformedContextStillRunsInANewTrace() throws Exception {
    JobMessage plain = job();
    probe.publishJob(plain);
    JobMessage malformed = job();
    probe.publishJob(malformed, Map.of("traceparent", "not-a-traceparent"));

    for (JobMessage job : List.of(plain, malformed)) {
      List<Received> events = probe.awaitTerminal(job.jobId(), JOB_TIMEOUT);
      assertThat(events.getLast().event().type()).isEqualTo("job.succeeded");
      SpanData run = awaitSpan(job, "job synthetic");
      assertThat(run.getParentSpanContext().isValid()).isFalse();
      assertThat(events)
          .allSatisfy(
              r ->
                  assertThat(String.valueOf(r.props().getHeaders().get("traceparent")))
                      .contains(run.getTraceId()));
    }
  }

  /** Spans reach the exporter in batches after they end, so the test polls for them. */
  private SpanData awaitSpan(JobMessage job, String name) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (SpanData s : spansOf(job)) {
        if (s.getName().equals(name)) {
          return s;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no span " + name + " for job " + job.jobId());
  }

  private List<SpanData> spansOf(JobMessage job) {
    return spans.getFinishedSpanItems().stream()
        .filter(
            s ->
                job.jobId()
                    .toString()
                    .equals(
                        s.getAttributes()
                            .get(
                                io.opentelemetry.api.common.AttributeKey.stringKey("kiln.job.id"))))
        .toList();
  }

  private static JobMessage job() {
    return new JobMessage(
        JobMessage.VERSION,
        UUID.randomUUID(),
        "synthetic",
        1,
        JsonNodeFactory.instance
            .objectNode()
            .put("stages", 2)
            .put("stageMillis", 50)
            .put("artifactBytes", 1024),
        List.of(),
        null,
        Instant.now());
  }

  private static String randomHex(int length) {
    StringBuilder hex = new StringBuilder(UUID.randomUUID().toString().replace("-", ""));
    hex.append(UUID.randomUUID().toString().replace("-", ""));
    return hex.substring(0, length);
  }
}
