package dev.kiln.worker.pipeline;

import dev.kiln.model.messages.JobMessage;
import java.io.IOException;

/** Puts the next attempt of a job where the broker releases it after a delay. */
@FunctionalInterface
public interface RetryScheduler {

  /** For runs that cannot schedule retries: every retry fails, so the run is abandoned. */
  RetryScheduler NONE =
      (next, delayMillis) -> {
        throw new IOException("no retry scheduler");
      };

  /**
   * Publishes {@code next} (persistent) so that it reaches the work queue again after about {@code
   * delayMillis}, and returns once the broker confirmed it.
   *
   * @throws IOException when it could not be confirmed: the retry is not scheduled
   */
  void schedule(JobMessage next, long delayMillis) throws IOException;
}
