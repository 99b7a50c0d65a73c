package dev.kiln.worker.pipeline;

import java.time.Duration;

/** Hook for metrics; keeps the runner free of a metrics library. */
@FunctionalInterface
public interface RunObserver {

  RunObserver NONE = (type, stage, took) -> {};

  /** A stage completed successfully after {@code took}. */
  void stageCompleted(String jobType, String stage, Duration took);

  /** An attempt failed retryably and its next attempt was scheduled. */
  default void retryScheduled(String jobType) {}

  /** An attempt ran past its timeout and was aborted. */
  default void timedOut(String jobType) {}
}
