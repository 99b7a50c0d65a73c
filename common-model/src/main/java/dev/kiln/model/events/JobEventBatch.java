package dev.kiln.model.events;

import java.util.List;

/**
 * Consecutive events of one job run in one broker message, published to {@code kiln.events} with
 * the first event's type as routing key and content type {@link #CONTENT_TYPE}. why: a run emits
 * its events in bursts (a job without stages emits {@code job.started} and its ending back to back;
 * a stage's {@code stage.completed} and the next {@code stage.started} likewise), and each broker
 * message costs a persistent write, a confirm, a delivery and an ack; one message per burst halves
 * that for the shortest jobs. Consumers store the events exactly as if they had come one by one, in
 * order.
 *
 * @param v contract version, {@link #VERSION}
 * @param events at least one event, of one run, in seq order
 */
public record JobEventBatch(int v, List<JobEvent> events) {

  public static final int VERSION = 1;

  /** Tells a batch from a single {@link JobEvent} without parsing the body. */
  public static final String CONTENT_TYPE = "application/vnd.kiln.job-events+json";

  public JobEventBatch {
    events = List.copyOf(events);
    if (events.isEmpty()) {
      throw new IllegalArgumentException("a batch holds at least one event");
    }
  }
}
