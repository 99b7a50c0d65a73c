package dev.kiln.worker.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.outbound.UrlFetcher;
import dev.kiln.worker.storage.ObjectNotFoundException;
import dev.kiln.worker.storage.RetryingStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The state of one run: event numbering, current stage, checkpoint, written artifacts, scratch
 * space, and why it must stop.
 */
final class RunContext implements StageContext, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RunContext.class);
  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
  static final String STORAGE_UNAVAILABLE = "STORAGE_UNAVAILABLE";

  /** Why a run stops early, in order of precedence. */
  enum Stop {
    /** This worker no longer holds the message: stop silently, keep the checkpoint. */
    ABANDONED,
    CANCELLED,
    TIMEOUT
  }

  private final RunRequest request;
  private final RetryingStore store;
  private final AttemptFiles files;
  private final EventSink sink;
  private final ProgressThrottle throttle;
  private final UrlFetcher fetcher;
  private final Transfers transfers;
  private final ObjectNode params;
  private final Set<String> writtenKeys = new LinkedHashSet<>();
  // why: guards seq, stage, the throttle and the stage thread; a lock rather than synchronized
  // because emitting may wait for a closed event channel, which would pin the virtual thread's
  // carrier on Java 21
  private final ReentrantLock lock = new ReentrantLock();
  private long seq;
  private String stage;
  private int stageIndex = -1;
  private List<String> stageOutputs = new ArrayList<>();
  private List<ArtifactRef> stageArtifacts = new ArrayList<>();
  private Thread stageThread;
  private volatile boolean timedOut;
  private Checkpoint checkpoint;

  RunContext(
      RunRequest request,
      RetryingStore store,
      AttemptFiles files,
      EventSink sink,
      Duration progressInterval,
      UrlFetcher fetcher) {
    this.request = request;
    this.fetcher = fetcher;
    this.store = store;
    this.files = files;
    this.sink = sink;
    this.throttle = new ProgressThrottle(progressInterval);
    this.transfers =
        new Transfers(store, this::checkCancelled, this::stopRequested, request.job().jobId());
    ObjectNode given = request.job().params();
    this.params = given == null ? JsonNodeFactory.instance.objectNode() : given;
    this.checkpoint = Checkpoint.empty(request.job().jobId(), request.job().attempt());
    // why: between stages the runner emits bursts (job.started and the first stage.started, a
    // stage.completed and the next stage.started, the last stage.completed and the ending); held
    // back until a stage starts or the run settles, each burst goes out as one broker message
    sink.hold();
  }

  /**
   * Wraps a payload in the run's next envelope without emitting it; seq is contiguous from 1 within
   * the run.
   */
  JobEvent prepare(EventPayload payload) {
    JobMessage job = request.job();
    lock.lock();
    try {
      seq++;
      return new JobEvent(
          JobEvent.VERSION,
          UUID.randomUUID(),
          job.jobId(),
          job.attempt(),
          seq,
          Instant.now(),
          request.workerId(),
          payload,
          request.run());
    } finally {
      lock.unlock();
    }
  }

  void emit(EventPayload payload) {
    lock.lock();
    try {
      sink.emit(prepare(payload));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Emits an event prepared earlier. One an earlier run prepared goes out as this run's next event,
   * keeping its event id, time and payload.
   *
   * <p>why not unchanged: the earlier run's message came back because that run could not report
   * (its broker connection died), so events before its ending may never have been stored; under the
   * earlier run's seq the ending would leave a gap in that run. Its event id stays, so when the
   * earlier run did publish it, this copy is a duplicate the gateway drops.
   */
  void emitPrepared(JobEvent event) {
    lock.lock();
    try {
      if (java.util.Objects.equals(event.run(), request.run())) {
        sink.emit(event);
        return;
      }
      seq++;
      sink.emit(
          new JobEvent(
              event.v(),
              event.eventId(),
              event.jobId(),
              event.attempt(),
              seq,
              event.occurredAt(),
              request.workerId(),
              event.payload(),
              request.run()));
    } finally {
      lock.unlock();
    }
  }

  void beginStage(String name, int index) {
    lock.lock();
    try {
      stage = name;
      stageIndex = index;
      stageOutputs = new ArrayList<>();
      stageArtifacts = new ArrayList<>();
    } finally {
      lock.unlock();
    }
  }

  /** The calling thread runs stage code from now on: a timeout interrupts it. */
  void enterStage() {
    lock.lock();
    try {
      // why: a stage may run for minutes; what the client should see before it must go now, and
      // progress reports from inside it go out one by one
      sink.flush();
      stageThread = Thread.currentThread();
    } finally {
      lock.unlock();
    }
  }

  /** Stage code returned; clears an interrupt it may have left, so it reaches no later wait. */
  void leaveStage() {
    lock.lock();
    try {
      sink.hold();
      stageThread = null;
      Thread.interrupted();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The attempt ran out of time: the run stops at its next check, and stage code blocked in an
   * interruptible call is interrupted. Never interrupts the run while it is emitting an event.
   */
  void timeOut() {
    lock.lock();
    try {
      timedOut = true;
      if (stageThread != null) {
        stageThread.interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  String currentStage() {
    lock.lock();
    try {
      return stage;
    } finally {
      lock.unlock();
    }
  }

  Checkpoint checkpoint() {
    return checkpoint;
  }

  void resumeFrom(Checkpoint resumed) {
    checkpoint = resumed;
  }

  /** Records the current stage as completed in the attempt's checkpoint. */
  void completeStage(String name, Duration took) throws IOException {
    List<String> outputs;
    List<ArtifactRef> artifacts;
    lock.lock();
    try {
      outputs = List.copyOf(stageOutputs);
      artifacts = List.copyOf(stageArtifacts);
    } finally {
      lock.unlock();
    }
    Checkpoint next =
        checkpoint.plus(new Checkpoint.CompletedStage(name, took.toMillis(), outputs, artifacts));
    files.writeCheckpoint(next, this::checkCancelled);
    checkpoint = next;
  }

  /** Why the run must stop now, or null to carry on. */
  Stop stopReason() {
    if (request.abandoned().getAsBoolean()) {
      return Stop.ABANDONED;
    }
    if (request.cancelRequested().getAsBoolean()) {
      return Stop.CANCELLED;
    }
    return timedOut ? Stop.TIMEOUT : null;
  }

  boolean stopRequested() {
    return stopReason() != null;
  }

  boolean abandoned() {
    return request.abandoned().getAsBoolean();
  }

  boolean cancelRequested() {
    return request.cancelRequested().getAsBoolean();
  }

  @Override
  public JobMessage job() {
    return request.job();
  }

  @Override
  public ObjectNode params() {
    return params;
  }

  @Override
  public void progress(int percent, String message) {
    checkCancelled();
    int clamped = Math.clamp(percent, 0, 100);
    lock.lock();
    try {
      if (stage != null && throttle.tryAcquire(System.nanoTime())) {
        emit(new EventPayload.StageProgress(stage, stageIndex, clamped, message));
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void checkCancelled() {
    if (stopRequested()) {
      throw new JobCancelledException();
    }
  }

  @Override
  public InputStream openInput(InputRef input) throws StageFailure {
    if (input.isUrl()) {
      Path dir;
      try {
        dir = workDir();
      } catch (IOException e) {
        throw new StageFailure(
            UrlInputs.INPUT_UNAVAILABLE,
            "input " + input.name() + " could not be stored locally",
            true,
            e);
      }
      return UrlInputs.download(fetcher, input, dir, this::checkCancelled);
    }
    if (input.objectKey() == null) {
      throw new StageFailure(
          "INPUT_INVALID", "input " + input.name() + " has neither object key nor URL", false);
    }
    try {
      return store.open(input.objectKey(), this::checkCancelled);
    } catch (ObjectNotFoundException e) {
      // why: the gateway stored it before accepting the job; running again cannot bring it back
      throw new StageFailure(
          "INPUT_UNAVAILABLE",
          "input " + input.name() + " does not exist in the object store",
          false,
          e);
    } catch (IOException e) {
      throw transfers.storeFailure(
          "INPUT_UNAVAILABLE",
          "input " + input.name() + " could not be read from the object store",
          e);
    }
  }

  @Override
  public Path workDir() throws IOException {
    return transfers.workDir();
  }

  @Override
  public ArtifactRef writeArtifact(String name, String contentType, Path file) throws StageFailure {
    ArtifactNames.requireSafe(name);
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new StageFailure(
          "ARTIFACT_WRITE_FAILED", "artifact " + name + " could not be read", true, e);
    }
    return writeArtifact(name, contentType, () -> Files.newInputStream(file), size);
  }

  @Override
  public ArtifactRef writeArtifact(String name, String contentType, InputStream content, long size)
      throws StageFailure {
    ArtifactNames.requireSafe(name);
    requireSize(name, size);
    checkCancelled();
    Path spool = transfers.spool("artifact " + name, content, size);
    try {
      return writeArtifact(name, contentType, () -> Files.newInputStream(spool), size);
    } finally {
      Transfers.deleteQuietly(spool);
    }
  }

  @Override
  public ArtifactRef writeArtifact(
      String name, String contentType, ContentSource content, long size) throws StageFailure {
    ArtifactNames.requireSafe(name);
    requireSize(name, size);
    String type = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    String key = ArtifactNames.objectKey(request.job().jobId(), name);
    synchronized (this) {
      if (!writtenKeys.add(key)) {
        throw new IllegalArgumentException("artifact " + name + " was already written");
      }
    }
    checkCancelled();
    UploadStream upload = transfers.upload(key, content, size, type, "artifact " + name);
    ArtifactRef ref = new ArtifactRef(name, key, size, type, upload.sha256Hex());
    lock.lock();
    try {
      stageArtifacts.add(ref);
    } finally {
      lock.unlock();
    }
    emit(
        new EventPayload.ArtifactCreated(
            ref.name(), ref.objectKey(), ref.size(), ref.contentType(), ref.sha256()));
    return ref;
  }

  @Override
  public void writeStageOutput(String name, Path file) throws StageFailure {
    ArtifactNames.requireSafe(name);
    String current = currentStage();
    if (current == null) {
      throw new IllegalStateException("stage outputs can only be written while a stage runs");
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new StageFailure(
          "STAGE_OUTPUT_WRITE_FAILED", "stage output " + name + " could not be read", true, e);
    }
    checkCancelled();
    String key = files.stageOutputKey(current, name);
    files.written(key);
    transfers.upload(
        key, () -> Files.newInputStream(file), size, DEFAULT_CONTENT_TYPE, "stage output " + name);
    lock.lock();
    try {
      if (!stageOutputs.contains(name)) {
        stageOutputs.add(name);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void writeStageOutput(String name, InputStream content) throws StageFailure {
    ArtifactNames.requireSafe(name);
    checkCancelled();
    Path spool = transfers.spool("stage output " + name, content, Long.MAX_VALUE);
    try {
      writeStageOutput(name, spool);
    } finally {
      Transfers.deleteQuietly(spool);
    }
  }

  @Override
  public InputStream openStageOutput(String stageName, String name) throws StageFailure {
    ArtifactNames.requireSafe(name);
    try {
      return store.open(files.stageOutputKey(stageName, name), this::checkCancelled);
    } catch (ObjectNotFoundException e) {
      throw new StageFailure(
          "STAGE_OUTPUT_MISSING",
          "output " + name + " of stage " + stageName + " is missing",
          true,
          e);
    } catch (IOException e) {
      throw transfers.storeFailure(
          "STAGE_OUTPUT_MISSING",
          "output " + name + " of stage " + stageName + " is unreadable",
          e);
    }
  }

  private static void requireSize(String name, long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size of " + name + " must be >= 0, got " + size);
    }
  }

  /** Artifact keys this run wrote or started to write. */
  synchronized Set<String> writtenArtifacts() {
    return Set.copyOf(writtenKeys);
  }

  @Override
  public void close() {
    transfers.close();
  }

  static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
