package dev.kiln.worker.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.JobMessage;
import java.io.IOException;
import java.util.Set;
import java.util.UUID;

/** Turns a work-queue body into a runnable {@link JobMessage}, or says why it is not one. */
final class JobMessageDecoder {

  /** The job type is not run by this worker. */
  static final String UNSUPPORTED_JOB = "UNSUPPORTED_JOB";

  /** The message names a job but is not a valid work order for it. */
  static final String INVALID_JOB_MESSAGE = "INVALID_JOB_MESSAGE";

  /**
   * Either {@code job} is set, or {@code problem} says why not. When the job and attempt the
   * message is for could still be read, {@code jobId}, {@code attempt} and the failure {@code code}
   * are set too, so the job can be failed instead of waiting in {@code queued} forever.
   */
  record Decoded(JobMessage job, UUID jobId, int attempt, String code, String problem) {
    boolean ok() {
      return job != null;
    }

    /** Not runnable, but known to belong to an attempt that can be told so. */
    boolean reportable() {
      return job == null && jobId != null && attempt >= 1 && code != null;
    }
  }

  private JobMessageDecoder() {}

  static Decoded decode(byte[] body, Set<String> runnableTypes) {
    JsonNode tree;
    try {
      tree = KilnJson.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      return problem("not a job message: " + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      return problem("not a job message: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      return problem("not a job message: not a JSON object");
    }
    JobMessage job = null;
    String invalid = null;
    try {
      job = KilnJson.mapper().treeToValue(tree, JobMessage.class);
    } catch (JsonProcessingException e) {
      invalid = "not a valid job message: " + e.getOriginalMessage();
    } catch (RuntimeException e) {
      invalid = "not a valid job message: " + e.getMessage();
    }
    // why: a message that does not map may still say which attempt it is for, and then that
    // attempt can be failed; read leniently what the mapping could not
    UUID jobId = job != null ? job.jobId() : uuid(tree.get("jobId"));
    int attempt = job != null ? job.attempt() : attempt(tree.get("attempt"));
    if (jobId == null || attempt < 1) {
      return problem(invalid != null ? invalid : "missing jobId or attempt < 1");
    }
    if (invalid != null) {
      return invalid(jobId, attempt, invalid);
    }
    if (job.v() != JobMessage.VERSION) {
      return invalid(jobId, attempt, "unsupported contract version " + job.v());
    }
    if (job.type() == null || job.type().isBlank()) {
      return invalid(jobId, attempt, "the job message has no type");
    }
    if (!runnableTypes.contains(job.type())) {
      return new Decoded(
          null,
          jobId,
          attempt,
          UNSUPPORTED_JOB,
          "job type '" + job.type() + "' is not run by the workers of this queue");
    }
    if (job.params() == null) {
      job =
          new JobMessage(
              job.v(),
              job.jobId(),
              job.type(),
              job.attempt(),
              JsonNodeFactory.instance.objectNode(),
              job.inputs(),
              job.batchId(),
              job.submittedAt(),
              job.policy());
    }
    return new Decoded(job, job.jobId(), job.attempt(), null, null);
  }

  private static UUID uuid(JsonNode node) {
    // why: the canonical form only, as the JSON mapping reads it
    if (node == null || !node.isTextual() || node.textValue().length() != 36) {
      return null;
    }
    try {
      return UUID.fromString(node.textValue());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static int attempt(JsonNode node) {
    if (node != null && node.isIntegralNumber() && node.canConvertToInt()) {
      return node.intValue();
    }
    if (node != null && node.isTextual()) {
      try {
        return Integer.parseInt(node.textValue().strip());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static Decoded problem(String why) {
    return new Decoded(null, null, 0, null, why);
  }

  private static Decoded invalid(UUID jobId, int attempt, String why) {
    return new Decoded(null, jobId, attempt, INVALID_JOB_MESSAGE, why);
  }
}
