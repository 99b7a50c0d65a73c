package dev.kiln.model.storage;

import java.util.UUID;

/**
 * Keys of a job's working area in the object store, {@code work/{jobId}/}, where workers keep what
 * lets a later run of the job resume or stand down. Gateway and workers both write there, so the
 * layout is defined once.
 *
 * <pre>
 * work/{jobId}/{attempt}/checkpoint.json   stages done, written by workers
 * work/{jobId}/{attempt}/ending.json       an ending prepared but maybe not yet published
 * work/{jobId}/{attempt}/done.json         the attempt ended; later deliveries are settled unrun
 * work/{jobId}/{attempt}/superseded        the gateway replaced the attempt; deliveries are acked
 * work/{jobId}/runs/{run}                  a run of a redelivered message that has not stopped
 * </pre>
 */
public final class WorkArea {

  private WorkArea() {}

  public static String jobPrefix(UUID jobId) {
    return "work/" + jobId + "/";
  }

  public static String attemptPrefix(UUID jobId, int attempt) {
    return jobPrefix(jobId) + attempt + "/";
  }

  /**
   * An empty object the gateway writes when it ends or replaces an attempt on its own (a lost
   * worker), so a message of that attempt still in the broker is acknowledged without running.
   */
  public static String supersededKey(UUID jobId, int attempt) {
    return attemptPrefix(jobId, attempt) + "superseded";
  }

  /**
   * Records of runs of redelivered messages, across the job's attempts: a run removes its record
   * when it stops in an orderly way, so the ones left died with their worker.
   */
  public static String runRecordPrefix(UUID jobId) {
    return jobPrefix(jobId) + "runs/";
  }
}
