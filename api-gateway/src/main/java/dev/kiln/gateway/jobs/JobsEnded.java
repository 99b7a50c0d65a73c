package dev.kiln.gateway.jobs;

import dev.kiln.model.events.JobEvent;
import java.util.List;

/**
 * Jobs that reached a terminal status (succeeded, failed, cancelled) in the current transaction,
 * each with the event that ended it. Fired synchronously, inside that transaction, so whatever an
 * observer writes (webhook deliveries) commits or rolls back together with the terminal state.
 *
 * @param ended one entry per job that ended, in the order they ended
 */
public record JobsEnded(List<Ended> ended) {

  /**
   * @param job the job row, already in its terminal state
   * @param event the terminal event that ended it
   */
  public record Ended(Job job, JobEvent event) {}

  public JobsEnded {
    ended = List.copyOf(ended);
  }
}
