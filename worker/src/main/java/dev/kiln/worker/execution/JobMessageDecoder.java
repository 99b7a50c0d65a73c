package dev.kiln.worker.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.JobMessage;
import java.io.IOException;
import java.util.Set;

/** Turns a work-queue body into a runnable {@link JobMessage}, or says why it is not one. */
final class JobMessageDecoder {

  /** Either {@code job} or {@code problem} is set. */
  record Decoded(JobMessage job, String problem) {
    boolean ok() {
      return job != null;
    }
  }

  private JobMessageDecoder() {}

  static Decoded decode(byte[] body, Set<String> runnableTypes) {
    JobMessage job;
    try {
      job = KilnJson.mapper().readValue(body, JobMessage.class);
    } catch (JsonProcessingException e) {
      return problem("not a job message: " + e.getOriginalMessage());
    } catch (IOException e) {
      return problem("not a job message: " + e.getMessage());
    } catch (RuntimeException e) {
      return problem("not a job message: " + e.getMessage());
    }
    if (job == null) {
      return problem("empty message");
    }
    if (job.v() != JobMessage.VERSION) {
      return problem("unsupported contract version " + job.v());
    }
    if (job.jobId() == null || job.attempt() < 1) {
      return problem("missing jobId or attempt < 1");
    }
    if (job.type() == null || !runnableTypes.contains(job.type())) {
      return problem("job type '" + job.type() + "' is not run by this worker");
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
              job.submittedAt());
    }
    return new Decoded(job, null);
  }

  private static Decoded problem(String why) {
    return new Decoded(null, why);
  }
}
