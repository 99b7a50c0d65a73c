package dev.kiln.worker.pipeline;

import dev.kiln.model.events.JobEvent;

/**
 * Where a run's events go. Must not throw: delivery problems are the sink's to track (the broker
 * sink holds the job's acknowledgement until every event is confirmed).
 */
@FunctionalInterface
public interface EventSink {
  void emit(JobEvent event);

  /**
   * Events emitted from now on may be held back until {@link #flush}: the run calls it between
   * stages, where events come in bursts and nothing long runs before the next flush.
   */
  default void hold() {}

  /** Sends what was held back; events are sent as they come until the next {@link #hold}. */
  default void flush() {}
}
