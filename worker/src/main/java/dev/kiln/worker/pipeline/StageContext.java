package dev.kiln.worker.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * What a running stage can see and do. One context serves all stages of a run.
 *
 * <p>Object store calls made through the context (inputs, artifacts, stage outputs) ride out
 * outages: they are retried with backoff (0.2 s doubling to 5 s, for up to 30 s by default), and a
 * stage that still cannot reach the store fails retryably with {@code STORAGE_UNAVAILABLE}.
 */
public interface StageContext {

  JobMessage job();

  /** The job parameters, already validated and completed with defaults by the gateway. */
  ObjectNode params();

  /**
   * Reports progress of the current stage and checks whether the run must stop. Throttled per job,
   * across stages, to one event per {@code kiln.worker.progress-interval}; reports in between are
   * dropped, so a stage of a few milliseconds may show no progress at all (its {@code
   * stage.started} and {@code stage.completed} are always sent).
   *
   * @param percent 0 to 100 within the stage; clamped
   * @param message short human-readable status, may be null
   * @throws JobCancelledException when the run must stop: the job was cancelled, the attempt ran
   *     past its timeout, or the worker gave the message back to the broker
   */
  void progress(int percent, String message);

  /**
   * @throws JobCancelledException when the run must stop (see {@link #progress})
   */
  void checkCancelled();

  /**
   * Opens an input for reading; the caller closes it. A stored object is streamed from the object
   * store, and a read that fails midway resumes where it stopped. A URL input is downloaded in full
   * to the run's scratch space first, through the SSRF guard ({@code dev.kiln.outbound}): http and
   * https only, every address its host resolves to must be public (unless listed in {@code
   * KILN_FETCH_ALLOW_CIDRS}), every redirect is checked again, and size and time are capped.
   *
   * @throws StageFailure for stored objects: {@code INPUT_UNAVAILABLE} (not retryable) when the
   *     object does not exist, {@code STORAGE_UNAVAILABLE} (retryable) when the object store cannot
   *     be reached. For URLs: {@code INPUT_URL_FORBIDDEN} (not retryable) when the guard refuses
   *     the URL or a redirect, {@code INPUT_TOO_LARGE} (not retryable) past {@code
   *     KILN_FETCH_MAX_BYTES}, {@code INPUT_UNAVAILABLE}, retryable after a timeout, a connection
   *     failure, a cut-off body or HTTP 5xx/408/429, not retryable after any other HTTP error or
   *     too many redirects
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
   * @throws StageFailure {@code STORAGE_UNAVAILABLE} when the store stays unreachable, {@code
   *     ARTIFACT_WRITE_FAILED} when the file cannot be read
   */
  ArtifactRef writeArtifact(String name, String contentType, Path file) throws StageFailure;

  /**
   * Uploads exactly {@code size} bytes from a content that can be opened again, which is what lets
   * an upload be retried after an outage without buffering; see {@link #writeArtifact(String,
   * String, Path)}.
   */
  ArtifactRef writeArtifact(String name, String contentType, ContentSource content, long size)
      throws StageFailure;

  /**
   * Streams exactly {@code size} bytes from {@code content} (not closed) into an artifact; see
   * {@link #writeArtifact(String, String, Path)}. The bytes are first copied to the run's scratch
   * directory, so the upload can be retried: prefer the {@link ContentSource} variant for large
   * content.
   */
  ArtifactRef writeArtifact(String name, String contentType, InputStream content, long size)
      throws StageFailure;

  /**
   * Keeps a file as output {@code name} of the current stage, at {@code
   * work/{jobId}/{attempt}/{stage}/{name}}. When a run of the same attempt resumes after this stage
   * completed, later stages read it with {@link #openStageOutput} instead of the stage running
   * again. Outputs live until the attempt ends.
   *
   * @param name plain file name, as for artifacts
   * @throws StageFailure {@code STORAGE_UNAVAILABLE} when the store stays unreachable
   */
  void writeStageOutput(String name, Path file) throws StageFailure;

  /**
   * Keeps everything {@code content} (not closed) yields as output {@code name} of the current
   * stage; see {@link #writeStageOutput(String, Path)}. The bytes are copied to the scratch
   * directory first, so the upload can be retried.
   */
  void writeStageOutput(String name, InputStream content) throws StageFailure;

  /**
   * Opens an output an earlier stage of this attempt kept, in this run or in an earlier run of the
   * attempt; the caller closes it.
   *
   * @throws StageFailure {@code STAGE_OUTPUT_MISSING} (retryable: a new attempt recomputes it) or
   *     {@code STORAGE_UNAVAILABLE}
   */
  InputStream openStageOutput(String stage, String name) throws StageFailure;
}
