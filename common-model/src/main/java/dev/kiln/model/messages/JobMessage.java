package dev.kiln.model.messages;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The work order the gateway publishes to {@code kiln.jobs} with the job type as routing key.
 *
 * @param v contract version, {@link #VERSION}
 * @param jobId the job
 * @param type job type name, also the routing key
 * @param attempt 1 for the first run, incremented by every retry
 * @param params parameters already validated and completed with defaults by the gateway
 * @param inputs inputs in submission order
 * @param batchId the batch the job belongs to, or null
 * @param submittedAt when the job was accepted
 * @param policy retries and timeout for this job; null from a producer older than the field (then
 *     {@link ExecutionPolicy#DEFAULT} applies)
 */
public record JobMessage(
    int v,
    UUID jobId,
    String type,
    int attempt,
    ObjectNode params,
    List<InputRef> inputs,
    UUID batchId,
    Instant submittedAt,
    ExecutionPolicy policy) {

  public static final int VERSION = 1;

  public JobMessage {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }

  /** A message without an explicit policy: {@link ExecutionPolicy#DEFAULT} applies. */
  public JobMessage(
      int v,
      UUID jobId,
      String type,
      int attempt,
      ObjectNode params,
      List<InputRef> inputs,
      UUID batchId,
      Instant submittedAt) {
    this(v, jobId, type, attempt, params, inputs, batchId, submittedAt, null);
  }

  /** The policy in force: the message's, or the default. */
  @JsonIgnore
  public ExecutionPolicy effectivePolicy() {
    return policy == null ? ExecutionPolicy.DEFAULT : policy;
  }

  /** The same job as attempt {@code next}, for a retry. */
  public JobMessage withAttempt(int next) {
    return new JobMessage(v, jobId, type, next, params, inputs, batchId, submittedAt, policy);
  }
}
