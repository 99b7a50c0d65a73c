package dev.kiln.model.broker;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.Map;

/**
 * W3C trace context in AMQP message headers ({@code traceparent}, {@code tracestate}).
 *
 * <p>why the W3C propagator itself rather than the SDK's configured one: the headers must be read
 * and written even when the SDK is disabled (export off), so a trace started upstream still reaches
 * the next hop; the propagator ignores absent or malformed headers and returns the given context.
 */
public final class TraceHeaders {

  public static final String TRACEPARENT = "traceparent";

  private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<Map<String, Object>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, Object> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, Object> carrier, String key) {
          if (carrier == null) {
            return null;
          }
          // why: the AMQP client hands string headers over as LongString
          Object value = carrier.get(key);
          return value == null ? null : value.toString();
        }
      };

  private TraceHeaders() {}

  /** The context a stored {@code traceparent} names; {@link Context#root()} when null or bad. */
  public static Context extract(String traceparent) {
    return traceparent == null ? Context.root() : extract(Map.of(TRACEPARENT, traceparent));
  }

  /** The context carried by {@code headers}, as a child of {@link Context#root()}. */
  public static Context extract(Map<String, Object> headers) {
    if (headers == null || headers.isEmpty()) {
      return Context.root();
    }
    try {
      return W3C.extract(Context.root(), headers, GETTER);
    } catch (RuntimeException e) {
      return Context.root();
    }
  }

  /** The headers that carry {@code context}; empty when it holds no valid span. */
  public static Map<String, Object> inject(Context context) {
    Map<String, Object> headers = new HashMap<>(2);
    W3C.inject(context, headers, (carrier, key, value) -> carrier.put(key, value));
    return headers;
  }
}
