package dev.kiln.gateway.deadletters;

import java.util.List;
import java.util.Map;

/**
 * Why and where RabbitMQ dead-lettered a message, read from its headers: the first (newest) entry
 * of {@code x-death}, or the {@code x-last-death-*} headers of newer brokers.
 *
 * @param reason {@code rejected} (a worker gave up on the message: its last attempt failed), {@code
 *     delivery_limit} (delivered too often without being settled: it kept killing or hanging
 *     workers), {@code expired}, {@code maxlen}, or {@code unknown}
 * @param queue the queue it died in, or null
 * @param count how many times it died there for that reason
 */
record DeathHeader(String reason, String queue, long count) {

  static final String REJECTED = "rejected";
  static final String DELIVERY_LIMIT = "delivery_limit";

  static DeathHeader of(Map<String, Object> headers) {
    if (headers != null
        && headers.get("x-death") instanceof List<?> deaths
        && !deaths.isEmpty()
        && deaths.get(0) instanceof Map<?, ?> newest) {
      Object count = newest.get("count");
      return new DeathHeader(
          text(newest.get("reason"), "unknown"),
          text(newest.get("queue"), null),
          count instanceof Number n ? n.longValue() : 1);
    }
    if (headers != null && headers.get("x-last-death-reason") != null) {
      return new DeathHeader(
          text(headers.get("x-last-death-reason"), "unknown"),
          text(headers.get("x-last-death-queue"), null),
          1);
    }
    return new DeathHeader("unknown", null, 1);
  }

  /** Header strings arrive as the client's LongString, whose toString is the text. */
  private static String text(Object value, String fallback) {
    return value == null ? fallback : value.toString();
  }
}
