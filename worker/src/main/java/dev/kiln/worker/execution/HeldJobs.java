package dev.kiln.worker.execution;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs whose messages this worker holds, and which of those run. Tracked by identity, so a
 * duplicate delivery of a job counts separately.
 */
final class HeldJobs {

  /** One held message; closing it lets go. */
  final class Hold implements AutoCloseable {
    private final UUID jobId;

    private Hold(UUID jobId) {
      this.jobId = jobId;
    }

    /** The job got its slot and runs until the hold is closed. */
    void running() {
      running.add(this);
    }

    @Override
    public void close() {
      running.remove(this);
      held.remove(this);
    }
  }

  private final Set<Hold> held = ConcurrentHashMap.newKeySet();
  private final Set<Hold> running = ConcurrentHashMap.newKeySet();

  Hold hold(UUID jobId) {
    Hold h = new Hold(jobId);
    held.add(h);
    return h;
  }

  int runningCount() {
    return running.size();
  }

  /**
   * why held, not running: the heartbeat lists these, and a job waiting here for a slot must not
   * look lost to the gateway's watchdog.
   */
  List<UUID> heldJobIds() {
    return held.stream().map(h -> h.jobId).distinct().toList();
  }
}
