package dev.kiln.model.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/**
 * Envelope of every job event workers publish to {@code kiln.events} (and the few the gateway
 * records itself, such as a cancellation of a queued job).
 *
 * @param v contract version, {@link #VERSION}
 * @param eventId unique per emission; a redelivered copy keeps it, which is how duplicates are
 *     dropped
 * @param jobId the job
 * @param attempt the attempt that emitted it
 * @param seq per job and attempt, starting at 1, in emission order; 0 for gateway-recorded events
 * @param occurredAt when the emitter created it
 * @param source worker id, or {@code gateway}
 * @param payload what happened; its {@code type} is the event type
 * @param run one delivery of the attempt to a worker; a redelivered attempt (its worker died) is a
 *     new run whose {@code seq} starts again at 1. Null for gateway-recorded events
 */
public record JobEvent(
    int v,
    UUID eventId,
    UUID jobId,
    int attempt,
    long seq,
    Instant occurredAt,
    String source,
    EventPayload payload,
    UUID run) {

  public static final int VERSION = 1;

  /** An event outside any worker run (recorded by the gateway). */
  public JobEvent(
      int v,
      UUID eventId,
      UUID jobId,
      int attempt,
      long seq,
      Instant occurredAt,
      String source,
      EventPayload payload) {
    this(v, eventId, jobId, attempt, seq, occurredAt, source, payload, null);
  }

  /** Routing key on {@code kiln.events}: the event type, e.g. {@code job.started}. */
  @JsonIgnore
  public String type() {
    return payload.type();
  }

  @JsonIgnore
  public boolean isTerminal() {
    return payload.terminal();
  }
}
