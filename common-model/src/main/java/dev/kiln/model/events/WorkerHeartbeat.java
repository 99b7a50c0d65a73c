package dev.kiln.model.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Published by every worker to {@code kiln.events} with routing key {@link #ROUTING_KEY} every
 * heartbeat interval (10 s by default).
 *
 * @param v contract version, {@link #VERSION}
 * @param workerId stable id of the worker process
 * @param types job types it consumes
 * @param runningJobs jobs it is executing right now
 * @param capacity how many jobs it runs at once
 * @param sentAt when it was sent
 */
public record WorkerHeartbeat(
    int v,
    String workerId,
    List<String> types,
    List<UUID> runningJobs,
    int capacity,
    Instant sentAt) {

  public static final int VERSION = 1;
  public static final String ROUTING_KEY = "worker.heartbeat";

  public WorkerHeartbeat {
    types = List.copyOf(types);
    runningJobs = List.copyOf(runningJobs);
  }
}
