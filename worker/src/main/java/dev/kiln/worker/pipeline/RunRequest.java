package dev.kiln.worker.pipeline;

import dev.kiln.model.messages.JobMessage;
import java.util.function.BooleanSupplier;

/**
 * One run of a job on this worker.
 *
 * @param job the work order
 * @param workerId event source
 * @param freeSlots jobs the worker could still take, reported in {@code job.started}
 * @param cancelRequested polled by progress checks; true once the attempt was cancelled
 */
public record RunRequest(
    JobMessage job, String workerId, int freeSlots, BooleanSupplier cancelRequested) {}
