package dev.kiln.gateway.stats;

import dev.kiln.model.events.WorkerHeartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Workers this replica heard from, by their heartbeats. */
@ApplicationScoped
public class WorkerRegistry {

  /** A worker's latest heartbeat and when this replica received it. */
  public record Seen(WorkerHeartbeat heartbeat, Instant receivedAt) {}

  /**
   * A worker heard from within this window counts as alive: three heartbeats at the default 10 s
   * interval, so one lost heartbeat does not make a worker disappear.
   */
  public static final Duration LIVE_WINDOW = Duration.ofSeconds(30);

  private final Map<String, Seen> byId = new ConcurrentHashMap<>();

  public void record(WorkerHeartbeat heartbeat) {
    byId.put(heartbeat.workerId(), new Seen(heartbeat, Instant.now()));
    // why: bounded by the fleet; forget workers gone for long so the map cannot grow forever
    Instant horizon = Instant.now().minus(Duration.ofMinutes(10));
    byId.values().removeIf(s -> s.receivedAt().isBefore(horizon));
  }

  /** The jobs that a worker heard from within {@code window} said it was running. */
  public Set<UUID> runningJobs(Duration window) {
    Set<UUID> jobs = new HashSet<>();
    seenWithin(window).forEach(s -> jobs.addAll(s.heartbeat().runningJobs()));
    return jobs;
  }

  public List<Seen> seenWithin(Duration window) {
    Instant since = Instant.now().minus(window);
    return byId.values().stream().filter(s -> s.receivedAt().isAfter(since)).toList();
  }
}
