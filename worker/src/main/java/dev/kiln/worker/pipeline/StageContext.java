package dev.kiln.worker.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** What a running stage can see and do. One context serves all stages of a run. */
public interface StageContext {

  JobMessage job();

  /** The job parameters, already validated and completed with defaults by the gateway. */
  ObjectNode params();

  /**
   * Reports progress of the current stage and checks for cancellation. Throttled per job, across
   * stages, to one event per {@code kiln.worker.progress-interval}; reports in between are dropped,
   * so a stage of a few milliseconds may show no progress at all (its {@code stage.started} and
   * {@code stage.completed} are always sent).
   *
   * @param percent 0 to 100 within the stage; clamped
   * @param message short human-readable status, may be null
   * @throws JobCancelledException when the job was cancelled
   */
  void progress(int percent, String message);

  /**
   * @throws JobCancelledException when the job was cancelled
   */
  void checkCancelled();

  /**
   * Opens an input for reading; the caller closes it.
   *
   * @throws StageFailure {@code INPUT_URL_UNSUPPORTED} for URL inputs, {@code INPUT_UNAVAILABLE}
   *     when the object store cannot deliver it
   */
  InputStream openInput(InputRef input) throws StageFailure;

  /** A private scratch directory, deleted with everything in it when the run ends. */
  Path workDir() throws IOException;

  /**
   * Uploads a file as artifact {@code artifacts/{jobId}/{name}} and announces it with {@code
   * artifact.created}.
   *
   * @param name plain file name: letters, digits, '.', '_' and '-', at most 128 characters
   * @throws IllegalArgumentException for an unsafe name
   * @throws StageFailure {@code ARTIFACT_WRITE_FAILED} when the upload fails
   */
  ArtifactRef writeArtifact(String name, String contentType, Path file) throws StageFailure;

  /**
   * Streams exactly {@code size} bytes from {@code content} (not closed) into an artifact; see
   * {@link #writeArtifact(String, String, Path)}.
   */
  ArtifactRef writeArtifact(String name, String contentType, InputStream content, long size)
      throws StageFailure;
}
