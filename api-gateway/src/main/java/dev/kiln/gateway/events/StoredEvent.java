package dev.kiln.gateway.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.gateway.jobs.JobStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * An event as stored and as SSE clients receive it ({@code data:}); {@code id} is the SSE event id.
 * Also the unit of the {@code kiln.relay} fan-out between gateway replicas.
 *
 * @param id position in the event store, increasing in commit order
 * @param jobId the job
 * @param jobType its type
 * @param batchId its batch, or null
 * @param attempt the attempt that emitted it
 * @param seq the emitter's sequence number within the attempt (0 for gateway events)
 * @param type event type, e.g. {@code stage.progress}
 * @param occurredAt when the emitter created it
 * @param source worker id or {@code gateway}
 * @param run the worker run (delivery of the attempt) that emitted it; its {@code seq} counts
 *     within the run. Null for gateway events
 * @param payload the event-specific fields, with {@code type}
 * @param job the job right after this event
 * @param tenant the job's tenant: streams show a key only its own tenant's events
 */
public record StoredEvent(
    long id,
    UUID jobId,
    String jobType,
    UUID batchId,
    int attempt,
    long seq,
    String type,
    Instant occurredAt,
    String source,
    UUID run,
    JsonNode payload,
    JobSnapshot job,
    String tenant) {

  /**
   * @param status status after the event
   * @param attempt the job's attempt after the event
   * @param progress overall progress after the event
   * @param currentStage running stage after the event
   */
  public record JobSnapshot(JobStatus status, int attempt, int progress, String currentStage) {}

  /** A terminal event type; {@code job.retrying} is not one (the job goes on). */
  public boolean terminalType() {
    return type.equals("job.succeeded")
        || type.equals("job.failed")
        || type.equals("job.cancelled");
  }
}
