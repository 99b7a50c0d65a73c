package dev.kiln.model.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.impl.LongStringHelper;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

  private static final String PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  @Test
  void readsTheHeaderAsTheAmqpClientDeliversIt() {
    Context context =
        TraceHeaders.extract(Map.of("traceparent", LongStringHelper.asLongString(PARENT)));

    assertThat(Span.fromContext(context).getSpanContext().getTraceId())
        .isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(TraceHeaders.inject(context)).containsEntry("traceparent", PARENT);
  }

  @Test
  void absentOrMalformedHeadersGiveNoContextAndWriteNoHeader() {
    for (Map<String, Object> headers :
        java.util.List.<Map<String, Object>>of(
            Map.of(), Map.of("traceparent", "garbage"), Map.of("traceparent", 42))) {
      Context context = TraceHeaders.extract(headers);
      assertThat(Span.fromContext(context).getSpanContext().isValid()).isFalse();
      assertThat(TraceHeaders.inject(context)).isEmpty();
    }
    assertThat(
            Span.fromContext(TraceHeaders.extract((Map<String, Object>) null))
                .getSpanContext()
                .isValid())
        .isFalse();
  }

  @Test
  void withTheSdkDisabledAMessageLeavesWithTheContextItArrivedWith() {
    Span span =
        OpenTelemetry.noop()
            .getTracer("test")
            .spanBuilder("job synthetic")
            .setParent(TraceHeaders.extract(Map.of("traceparent", PARENT)))
            .startSpan();
    try (var scope = span.makeCurrent()) {
      assertThat(TraceHeaders.inject(Context.current())).containsEntry("traceparent", PARENT);
    } finally {
      span.end();
    }
  }
}
