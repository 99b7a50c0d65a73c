package dev.kiln.gateway.tracing;

import static dev.kiln.gateway.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.fixtures.LocalBroker;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.JobMessage;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's half of a trace across the broker: a submit's trace reaches the job message through
 * the outbox, and a worker's event joins the relay span as a link.
 */
@QuarkusTest
class TracePropagationTest {

  private static LocalBroker broker;

  @Inject InMemorySpanExporter spans;

  @BeforeAll
  static void connect() {
    broker = LocalBroker.connect();
  }

  @AfterAll
  static void disconnect() {
    broker.close();
  }

  @Test
  void submitTraceReachesTheJobMessageThroughTheOutbox() throws Exception {
    String tap = broker.tap(Topology.JOBS_EXCHANGE, "synthetic");
    String traceId = hex(32);
    String id =
        given()
            .header("traceparent", "00-" + traceId + "-" + hex(16) + "-01")
            .contentType(ContentType.JSON)
            .body("{\"type\":\"synthetic\",\"params\":{}}")
            .post("/api/v1/jobs")
            .then()
            .statusCode(202)
            .extract()
            .path("id");

    GetResponse message = awaitDelivery(tap, UUID.fromString(id));
    String traceparent = String.valueOf(message.getProps().getHeaders().get("traceparent"));
    assertThat(traceparent).startsWith("00-" + traceId + "-");

    SpanData publish =
        awaitSpan(s -> s.getName().equals("outbox publish") && s.getTraceId().equals(traceId));
    assertThat(traceparent).contains(publish.getSpanId());
    SpanData server =
        awaitSpan(
            s -> s.getTraceId().equals(traceId) && s.getSpanId().equals(publish.getParentSpanId()));
    assertThat(server.getName()).contains("/api/v1/jobs");
  }

  @Test
  void eventRelayLinksTheRunThatEmittedTheEvent() throws Exception {
    String traceId = hex(32);
    String spanId = hex(16);
    JobEvent event =
        new JobEvent(
            JobEvent.VERSION,
            UUID.randomUUID(),
            UUID.randomUUID(),
            1,
            1,
            Instant.now(),
            "worker-trace-test",
            new EventPayload.JobStarted("synthetic", List.of("stage-1"), 1),
            UUID.randomUUID());
    broker
        .channel()
        .basicPublish(
            Topology.EVENTS_EXCHANGE,
            event.type(),
            new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(event.eventId().toString())
                .headers(Map.of("traceparent", "00-" + traceId + "-" + spanId + "-01"))
                .build(),
            KilnJson.mapper().writeValueAsBytes(event));

    SpanData relay =
        awaitSpan(
            s ->
                s.getName().equals("event relay")
                    && s.getLinks().stream()
                        .map(LinkData::getSpanContext)
                        .map(SpanContext::getTraceId)
                        .anyMatch(traceId::equals));
    assertThat(relay.getLinks())
        .extracting(LinkData::getSpanContext)
        .filteredOn(c -> c.getTraceId().equals(traceId))
        .extracting(SpanContext::getSpanId)
        .containsExactly(spanId);
  }

  /** Spans reach the exporter in batches after they end, so the test polls for them. */
  private SpanData awaitSpan(Predicate<SpanData> match) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (SpanData s : spans.getFinishedSpanItems()) {
        if (match.test(s)) {
          return s;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no matching span among " + spans.getFinishedSpanItems().size());
  }

  private static GetResponse awaitDelivery(String tap, UUID id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse r = broker.next(tap, Duration.ofSeconds(1));
      if (r != null && broker.read(r, JobMessage.class).jobId().equals(id)) {
        return r;
      }
    }
    throw new AssertionError("no job message for " + id);
  }

  private static String hex(int length) {
    String hex = UUID.randomUUID().toString().replace("-", "");
    return (hex + UUID.randomUUID().toString().replace("-", "")).substring(0, length);
  }
}
