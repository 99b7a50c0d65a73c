package dev.kiln.model.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * Broadcast on {@code kiln.control} to every worker: stop this job at its next progress check.
 *
 * @param v contract version, {@link #VERSION}
 * @param jobId the job to stop
 * @param attempt the attempt that is to stop; a later attempt is not affected
 * @param requestedAt when the client asked
 */
public record CancelCommand(int v, UUID jobId, int attempt, Instant requestedAt) {
  public static final int VERSION = 1;
}
