package dev.kiln.worker.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** The state of one run: event numbering, current stage, written artifacts and scratch space. */
final class RunContext implements StageContext, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RunContext.class);
  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private final RunRequest request;
  private final ObjectStore store;
  private final EventSink sink;
  private final ProgressThrottle throttle;
  private final ObjectNode params;
  private final Set<String> writtenKeys = new LinkedHashSet<>();
  // why: guards seq, stage and the throttle; a lock rather than synchronized because emitting may
  // wait for a closed event channel, which would pin the virtual thread's carrier on Java 21
  private final ReentrantLock lock = new ReentrantLock();
  private long seq;
  private String stage;
  private int stageIndex = -1;
  private Path workDir;

  RunContext(RunRequest request, ObjectStore store, EventSink sink, Duration progressInterval) {
    this.request = request;
    this.store = store;
    this.sink = sink;
    this.throttle = new ProgressThrottle(progressInterval);
    ObjectNode given = request.job().params();
    this.params = given == null ? JsonNodeFactory.instance.objectNode() : given;
  }

  /** Wraps a payload in the run's next envelope; seq is contiguous from 1 within the attempt. */
  void emit(EventPayload payload) {
    JobMessage job = request.job();
    lock.lock();
    try {
      seq++;
      sink.emit(
          new JobEvent(
              JobEvent.VERSION,
              UUID.randomUUID(),
              job.jobId(),
              job.attempt(),
              seq,
              Instant.now(),
              request.workerId(),
              payload));
    } finally {
      lock.unlock();
    }
  }

  void beginStage(String name, int index) {
    lock.lock();
    try {
      stage = name;
      stageIndex = index;
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
    if (cancelRequested()) {
      throw new JobCancelledException();
    }
  }

  @Override
  public InputStream openInput(InputRef input) throws StageFailure {
    if (input.isUrl()) {
      // why: fetching arbitrary URLs needs an SSRF guard, size caps and timeouts (later issue)
      throw new StageFailure(
          "INPUT_URL_UNSUPPORTED", "URL inputs are not supported yet: " + input.name(), false);
    }
    if (input.objectKey() == null) {
      throw new StageFailure(
          "INPUT_INVALID", "input " + input.name() + " has neither object key nor URL", false);
    }
    try {
      return store.open(input.objectKey());
    } catch (IOException e) {
      throw new StageFailure(
          "INPUT_UNAVAILABLE",
          "input " + input.name() + " could not be read from the object store",
          true,
          e);
    }
  }

  @Override
  public synchronized Path workDir() throws IOException {
    if (workDir == null) {
      workDir = Files.createTempDirectory("kiln-" + request.job().jobId() + "-");
    }
    return workDir;
  }

  @Override
  public ArtifactRef writeArtifact(String name, String contentType, Path file) throws StageFailure {
    ArtifactNames.requireSafe(name);
    try (InputStream in = Files.newInputStream(file)) {
      return writeArtifact(name, contentType, in, Files.size(file));
    } catch (IOException e) {
      throw new StageFailure(
          "ARTIFACT_WRITE_FAILED", "artifact " + name + " could not be read", true, e);
    }
  }

  @Override
  public ArtifactRef writeArtifact(String name, String contentType, InputStream content, long size)
      throws StageFailure {
    ArtifactNames.requireSafe(name);
    if (size < 0) {
      throw new IllegalArgumentException("artifact size must be >= 0, got " + size);
    }
    String type = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    String key = ArtifactNames.objectKey(request.job().jobId(), name);
    synchronized (this) {
      if (!writtenKeys.add(key)) {
        throw new IllegalArgumentException("artifact " + name + " was already written");
      }
    }
    checkCancelled();
    UploadStream upload = new UploadStream(content, size, this::cancelRequested);
    try {
      store.put(key, upload, size, type);
    } catch (IOException e) {
      if (cancelRequested() || hasCause(e, UploadStream.Cancelled.class)) {
        throw new JobCancelledException();
      }
      throw new StageFailure(
          "ARTIFACT_WRITE_FAILED", "artifact " + name + " could not be stored", true, e);
    }
    if (upload.count() != size) {
      throw new IllegalStateException(
          "artifact " + name + " declared " + size + " bytes but supplied " + upload.count());
    }
    ArtifactRef ref = new ArtifactRef(name, key, size, type, upload.sha256Hex());
    emit(
        new EventPayload.ArtifactCreated(
            ref.name(), ref.objectKey(), ref.size(), ref.contentType(), ref.sha256()));
    return ref;
  }

  /** Removes every artifact this run wrote (or started to write); failures are only logged. */
  void deleteWrittenArtifacts() {
    List<String> keys;
    synchronized (this) {
      keys = new ArrayList<>(writtenKeys);
    }
    for (String key : keys) {
      try {
        store.delete(key);
      } catch (IOException e) {
        LOG.warnf(e, "could not delete artifact %s of cancelled job", key);
      }
    }
  }

  @Override
  public void close() {
    Path dir;
    synchronized (this) {
      dir = workDir;
      workDir = null;
    }
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  LOG.warnf("could not delete %s: %s", p, e.getMessage());
                }
              });
    } catch (IOException e) {
      LOG.warnf("could not clean work dir %s: %s", dir, e.getMessage());
    }
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
