package dev.kiln.worker.pipeline;

import java.time.Duration;

/** Hook for metrics; keeps the runner free of a metrics library. */
@FunctionalInterface
public interface RunObserver {

  RunObserver NONE = (type, stage, took) -> {};

  /** A stage completed successfully after {@code took}. */
  void stageCompleted(String jobType, String stage, Duration took);
}
