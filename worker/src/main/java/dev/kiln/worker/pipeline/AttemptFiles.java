package dev.kiln.worker.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.storage.WorkArea;
import dev.kiln.worker.storage.RetryingStore;
import dev.kiln.worker.storage.StorageUnavailableException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The object store area of one attempt, {@code work/{jobId}/{attempt}/}: checkpoint, stage outputs,
 * the pending ending and the done marker.
 */
final class AttemptFiles {

  private static final Logger LOG = Logger.getLogger(AttemptFiles.class);
  private static final String JSON = "application/json";
  static final String CHECKPOINT = "checkpoint.json";
  static final String ENDING = "ending.json";
  static final String DONE = "done.json";

  /**
   * {@code done.json}: the attempt ended; a later delivery of it is settled without running, the
   * way the run that ended it settled it.
   *
   * @param disposition null in markers written before it was recorded (acked)
   */
  record DoneMarker(String outcome, Instant at, Disposition disposition) {}

  /** {@code work/{jobId}/runs/{run}}: a run of a redelivered message started on this worker. */
  record RunMarker(String worker, Instant at) {}

  /**
   * What an earlier run of the attempt left behind.
   *
   * @param done the attempt ended: how its message was settled, or null while it has not ended
   * @param crashedRuns runs of redeliveries of the job (any attempt) that started and never ended,
   *     stopped or returned the message: their worker died under them; counted for redeliveries
   *     only
   */
  record State(
      Disposition done,
      Optional<AttemptEnding> ending,
      Optional<Checkpoint> checkpoint,
      int crashedRuns) {

    /** Nothing was looked up: the run keeps no records (see {@link #skipRecordsOfSuccess}). */
    static final State NOTHING = new State(null, Optional.empty(), Optional.empty(), 0);
  }

  private final RetryingStore store;
  private final UUID jobId;
  private final int attempt;
  private final String prefix;
  // why: every key under the prefix this worker knows of (listed at the start, or written since),
  // so the cleanup needs no second listing
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private volatile boolean recordsSkipped;

  AttemptFiles(RetryingStore store, UUID jobId, int attempt) {
    this.store = store;
    this.jobId = jobId;
    this.attempt = attempt;
    this.prefix = prefix(jobId, attempt);
  }

  static String prefix(UUID jobId, int attempt) {
    return WorkArea.attemptPrefix(jobId, attempt);
  }

  String key(String name) {
    return prefix + name;
  }

  /** {@code work/{jobId}/{attempt}/{stage}/{name}}; the stage name is URL-encoded. */
  String stageOutputKey(String stage, String name) {
    return prefix + URLEncoder.encode(stage, StandardCharsets.UTF_8) + "/" + name;
  }

  /**
   * Lists the attempt's area once and reads what a previous run left; for a redelivery also lists
   * the job's run records.
   */
  State load(boolean redelivered) throws IOException {
    List<String> keys = store.list(prefix, RetryingStore.Guard.NONE);
    known.addAll(keys);
    int crashed = 0;
    if (redelivered) {
      List<String> runs = store.list(WorkArea.runRecordPrefix(jobId), RetryingStore.Guard.NONE);
      known.addAll(runs);
      crashed = runs.size();
    }
    if (keys.contains(WorkArea.supersededKey(jobId, attempt))) {
      return new State(Disposition.ACK, Optional.empty(), Optional.empty(), crashed);
    }
    if (keys.contains(key(DONE))) {
      Disposition settled =
          read(DONE, DoneMarker.class)
              .map(DoneMarker::disposition)
              .filter(d -> d != null)
              .orElse(Disposition.ACK);
      return new State(settled, Optional.empty(), Optional.empty(), crashed);
    }
    Optional<AttemptEnding> ending =
        keys.contains(key(ENDING)) ? read(ENDING, AttemptEnding.class) : Optional.empty();
    Optional<Checkpoint> checkpoint =
        keys.contains(key(CHECKPOINT)) ? read(CHECKPOINT, Checkpoint.class) : Optional.empty();
    return new State(null, ending, checkpoint, crashed);
  }

  /** Counts the crashed runs of a redelivered job without reading anything else. */
  static int crashedRuns(RetryingStore store, UUID jobId) throws IOException {
    return store.list(WorkArea.runRecordPrefix(jobId), RetryingStore.Guard.NONE).size();
  }

  /**
   * Records that {@code run} of a redelivered message started. why only redeliveries: a first
   * delivery that dies shows up as the redelivery, so the common case costs no write.
   */
  void recordRun(UUID run, String worker) {
    String k = WorkArea.runRecordPrefix(jobId) + run;
    try {
      store.putBytes(k, json(new RunMarker(worker, Instant.now())), JSON, RetryingStore.Guard.NONE);
      known.add(k);
    } catch (IOException e) {
      LOG.warnf("job %s attempt %d: could not record run %s: %s", jobId, attempt, run, e);
    }
  }

  /** The run ended without ending the attempt, but its worker lives: it did not crash. */
  void forgetRun(UUID run) {
    String k = WorkArea.runRecordPrefix(jobId) + run;
    if (!known.contains(k)) {
      return;
    }
    try {
      store.delete(k, RetryingStore.Guard.NONE);
      known.remove(k);
    } catch (IOException e) {
      LOG.warnf("job %s attempt %d: could not remove run marker %s: %s", jobId, attempt, run, e);
    }
  }

  private <T> Optional<T> read(String name, Class<T> type) throws IOException {
    Optional<byte[]> bytes = store.readBytes(key(name), RetryingStore.Guard.NONE);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(KilnJson.mapper().readValue(bytes.get(), type));
    } catch (IOException e) {
      // why: a file this worker cannot read is as good as none; running again is safe
      LOG.warnf("job %s attempt %d: ignoring unreadable %s: %s", jobId, attempt, name, e);
      return Optional.empty();
    }
  }

  void writeCheckpoint(Checkpoint checkpoint, RetryingStore.Guard guard) throws IOException {
    write(CHECKPOINT, checkpoint, guard);
  }

  /** Records a stage output written under the area, so the cleanup removes it. */
  void written(String key) {
    known.add(key);
  }

  /**
   * Writes the pending ending. A store that cannot take it does not stop the ending: the marker
   * only makes a later duplicate delivery cheaper and exact.
   */
  void writeEnding(AttemptEnding ending) {
    try {
      write(ENDING, ending, RetryingStore.Guard.NONE);
    } catch (IOException e) {
      LOG.warnf(
          "job %s attempt %d: could not record the ending before publishing it: %s",
          jobId, attempt, e.toString());
    }
  }

  /**
   * Marks the attempt done and deletes everything else in its area (best effort).
   *
   * @return whether the marker was written
   */
  boolean markDone(RunOutcome outcome, Disposition disposition) {
    try {
      write(
          DONE,
          new DoneMarker(outcome.label(), Instant.now(), disposition),
          RetryingStore.Guard.NONE);
      return true;
    } catch (IOException e) {
      // why: without the marker the checkpoint and the ending must stay, so a duplicate delivery
      // finishes the same ending instead of running the job again
      LOG.warnf(
          "job %s attempt %d: could not mark the attempt done, keeping its files: %s",
          jobId, attempt, e.toString());
      return false;
    }
  }

  /**
   * Deletes the attempt's files except {@code done.json} and the gateway's {@code superseded}, and
   * the job's run records it knows of (the attempt ended, so the job does not kill workers); stops
   * at the first outage.
   */
  void cleanup() {
    List<String> keys = new ArrayList<>(known);
    keys.remove(key(DONE));
    keys.remove(WorkArea.supersededKey(jobId, attempt));
    // why: the ending goes last, so a cleanup cut short leaves the ending for a duplicate
    keys.remove(key(ENDING));
    keys.add(key(ENDING));
    for (String k : keys) {
      try {
        store.delete(k, RetryingStore.Guard.NONE);
        known.remove(k);
      } catch (StorageUnavailableException e) {
        LOG.warnf("job %s attempt %d: cleanup stopped, store unavailable", jobId, attempt);
        return;
      } catch (IOException e) {
        LOG.warnf("job %s attempt %d: could not delete %s: %s", jobId, attempt, k, e.toString());
      }
    }
  }

  /**
   * This run neither reads the area nor records a success in it (no pending ending, no done
   * marker): for runs that keep no state. Other endings are still recorded.
   */
  void skipRecordsOfSuccess() {
    recordsSkipped = true;
  }

  boolean recordsSkipped() {
    return recordsSkipped;
  }

  /** Whether anything besides the markers is known to be left. */
  boolean hasLeftovers() {
    return known.stream()
        .anyMatch(k -> !k.equals(key(DONE)) && !k.equals(WorkArea.supersededKey(jobId, attempt)));
  }

  /**
   * Deletes every artifact of the job, including those written by earlier runs and attempts.
   *
   * @param alsoDelete keys to delete even when the listing fails
   */
  void deleteArtifacts(String artifactPrefix, Set<String> alsoDelete) {
    Set<String> keys = new java.util.LinkedHashSet<>(alsoDelete);
    try {
      keys.addAll(store.list(artifactPrefix, RetryingStore.Guard.NONE));
    } catch (IOException e) {
      LOG.warnf("job %s: could not list artifacts to delete: %s", jobId, e.toString());
    }
    for (String k : keys) {
      try {
        store.delete(k, RetryingStore.Guard.NONE);
      } catch (IOException e) {
        LOG.warnf(e, "job %s: could not delete artifact %s of cancelled job", jobId, k);
      }
    }
  }

  private void write(String name, Object value, RetryingStore.Guard guard) throws IOException {
    store.putBytes(key(name), json(value), JSON, guard);
    known.add(key(name));
  }

  private static byte[] json(Object value) {
    try {
      return KilnJson.mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(value.getClass().getSimpleName() + " is not serialisable", e);
    }
  }
}
