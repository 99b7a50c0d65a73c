package dev.kiln.worker.pipeline;

import dev.kiln.model.events.JobEvent;

/**
 * Where a run's events go. Must not throw: delivery problems are the sink's to track (the broker
 * sink holds the job's acknowledgement until every event is confirmed).
 */
@FunctionalInterface
public interface EventSink {
  void emit(JobEvent event);
}
