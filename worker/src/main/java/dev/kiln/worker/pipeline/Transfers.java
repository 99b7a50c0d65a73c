package dev.kiln.worker.pipeline;

import dev.kiln.worker.storage.RetryingStore;
import dev.kiln.worker.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Moving one run's bytes: uploads with the store's retries, spooling callers' streams to scratch
 * files, and the run's scratch directory, removed when the run ends.
 */
final class Transfers implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Transfers.class);

  /** Reading content to upload failed: the caller's problem, not the store's. */
  private static final class SourceUnreadable extends RuntimeException {
    SourceUnreadable(IOException cause) {
      super(cause);
    }
  }

  private final RetryingStore store;
  private final RetryingStore.Guard guard;
  private final BooleanSupplier stopRequested;
  private final UUID jobId;
  private Path workDir;

  /**
   * @param guard throws {@link JobCancelledException} once the run must stop
   * @param stopRequested true once the run must stop
   */
  Transfers(
      RetryingStore store, RetryingStore.Guard guard, BooleanSupplier stopRequested, UUID jobId) {
    this.store = store;
    this.guard = guard;
    this.stopRequested = stopRequested;
    this.jobId = jobId;
  }

  synchronized Path workDir() throws IOException {
    if (workDir == null) {
      workDir = Files.createTempDirectory("kiln-" + jobId + "-");
    }
    return workDir;
  }

  /**
   * Uploads with the store's retries, opening the content anew for every try.
   *
   * @return the stream of the successful try, with its count and digest
   */
  UploadStream upload(String key, ContentSource source, long size, String contentType, String what)
      throws StageFailure {
    AtomicReference<UploadStream> last = new AtomicReference<>();
    try {
      store.call(
          "put " + key,
          guard,
          () -> {
            InputStream raw;
            try {
              raw = source.open();
            } catch (IOException e) {
              throw new SourceUnreadable(e);
            }
            try (raw) {
              UploadStream upload = new UploadStream(raw, size, stopRequested);
              last.set(upload);
              try {
                store.store().put(key, upload, size, contentType);
              } catch (IOException e) {
                if (stopRequested.getAsBoolean()
                    || RunContext.hasCause(e, UploadStream.Cancelled.class)) {
                  throw new JobCancelledException();
                }
                if (upload.endedEarly()) {
                  throw new IllegalStateException(
                      what + " declared " + size + " bytes but supplied " + upload.count());
                }
                throw e;
              }
              return null;
            }
          });
    } catch (SourceUnreadable e) {
      throw new StageFailure(
          "ARTIFACT_WRITE_FAILED", what + " could not be read", true, e.getCause());
    } catch (IOException e) {
      throw storeFailure("ARTIFACT_WRITE_FAILED", what + " could not be stored", e);
    }
    UploadStream done = last.get();
    if (done.count() != size) {
      throw new IllegalStateException(
          what + " declared " + size + " bytes but supplied " + done.count());
    }
    return done;
  }

  /** Copies at most {@code limit} bytes of the caller's stream to a scratch file. */
  Path spool(String what, InputStream content, long limit) throws StageFailure {
    Path file;
    UploadStream counted = new UploadStream(content, limit, stopRequested);
    try {
      file = Files.createTempFile(workDir(), "spool-", ".tmp");
      try (OutputStream out = Files.newOutputStream(file)) {
        counted.transferTo(out);
      }
    } catch (UploadStream.Cancelled e) {
      throw new JobCancelledException();
    } catch (IOException e) {
      guard.check();
      throw new StageFailure("ARTIFACT_WRITE_FAILED", what + " could not be read", true, e);
    }
    if (limit != Long.MAX_VALUE && counted.count() != limit) {
      deleteQuietly(file);
      throw new IllegalStateException(
          what + " declared " + limit + " bytes but supplied " + counted.count());
    }
    return file;
  }

  /**
   * The stage failure for a store call that did not succeed: {@code STORAGE_UNAVAILABLE} after the
   * retries, the caller's code otherwise.
   *
   * @throws JobCancelledException when the call stopped because the run must stop
   */
  StageFailure storeFailure(String code, String what, IOException e) {
    guard.check();
    if (e instanceof StorageUnavailableException) {
      return new StageFailure(
          RunContext.STORAGE_UNAVAILABLE, what + ": the object store is unavailable", true, e);
    }
    return new StageFailure(code, what, true, e);
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
      paths.sorted(Comparator.reverseOrder()).forEach(Transfers::deleteQuietly);
    } catch (IOException e) {
      LOG.warnf("could not clean work dir %s: %s", dir, e.getMessage());
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warnf("could not delete %s: %s", p, e.getMessage());
    }
  }
}
