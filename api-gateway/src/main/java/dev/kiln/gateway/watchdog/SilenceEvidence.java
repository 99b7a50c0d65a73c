package dev.kiln.gateway.watchdog;

import dev.kiln.gateway.events.EventIngestor;
import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.gateway.stats.QueueDepths;
import dev.kiln.model.broker.Topology;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Whether a job's silence means anything right now, and for which job types. A silent job is only
 * lost when its message is nowhere: not held by a live worker (heartbeats say), not waiting in its
 * work queue, and not merely unreported because its events wait to be stored.
 */
@ApplicationScoped
class SilenceEvidence {

  @Inject WatchdogConfig config;
  @Inject Broker broker;
  @Inject EventIngestor ingestor;
  @Inject QueueDepths depths;
  @Inject JobTypes jobTypes;
  @Inject AgroalDataSource database;

  private volatile Instant lastSweepFailure = Instant.EPOCH;

  /** The watchdog could not run (the database was away): its events may still be arriving. */
  void sweepFailed() {
    lastSweepFailure = Instant.now();
  }

  private boolean databaseAnswers() {
    try (Connection c = database.getConnection()) {
      return c.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /**
   * @return the job types whose silent jobs may be judged now; empty when none may
   */
  List<String> judgeableTypes() {
    // why: heartbeats arrive by broadcast every interval; until this replica has been connected
    // for two of them, an empty registry proves nothing (and events may still be catching up)
    if (broker.connectedFor().compareTo(config.heartbeatInterval().multipliedBy(2)) < 0) {
      return List.of();
    }
    // why: after a database outage the events of that time are still being stored, by whichever
    // replica stores them; a job whose end is in that backlog would look silent and run again.
    // Asked every run: the sweep itself may not have run (nor failed) during the outage.
    if (!databaseAnswers()) {
      sweepFailed();
      return List.of();
    }
    Instant settled = Instant.now().minus(config.quietPeriod());
    if (ingestor.lastFailure().isAfter(settled) || lastSweepFailure.isAfter(settled)) {
      return List.of();
    }
    if (depths.ready(Topology.EVENTS_STORE_QUEUE) != 0) {
      return List.of();
    }
    // why: a message redelivered after a crash waits in its queue while no worker is free (all
    // busy, or all restarting); its job is silent but not lost, and the broker will deliver it
    return jobTypes.names().stream()
        .filter(type -> depths.ready(Topology.workQueue(type)) == 0)
        .toList();
  }
}
