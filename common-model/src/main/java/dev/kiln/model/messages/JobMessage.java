package dev.kiln.model.messages;

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
 */
public record JobMessage(
    int v,
    UUID jobId,
    String type,
    int attempt,
    ObjectNode params,
    List<InputRef> inputs,
    UUID batchId,
    Instant submittedAt) {

  public static final int VERSION = 1;

  public JobMessage {
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
  }
}
