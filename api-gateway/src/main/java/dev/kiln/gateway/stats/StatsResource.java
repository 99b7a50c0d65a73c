package dev.kiln.gateway.stats;

import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.Role;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A snapshot for dashboards and operators. */
@Path("/api/v1/stats")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class StatsResource {

  static final Duration WORKER_WINDOW = WorkerRegistry.LIVE_WINDOW;

  /**
   * @param jobs job counts by type, then by status
   * @param queues ready messages per queue
   * @param workers workers heard from in the last 30 s
   * @param jobsFinishedLastMinute jobs that ended in the last minute
   * @param generatedAt when this snapshot was taken
   */
  public record Stats(
      Map<String, Map<String, Long>> jobs,
      Map<String, Long> queues,
      List<WorkerView> workers,
      long jobsFinishedLastMinute,
      Instant generatedAt) {}

  /** A worker by its last heartbeat. */
  public record WorkerView(
      String id, List<String> types, int capacity, List<UUID> runningJobs, Instant lastSeen) {}

  @Inject EntityManager em;
  @Inject QueueDepths queues;
  @Inject WorkerRegistry workers;

  @GET
  @Operation(summary = "Jobs by type and status, queue depths, live workers, throughput")
  public Stats stats() {
    Map<String, Map<String, Long>> jobs = new TreeMap<>();
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery("select type, status, count(*) from jobs group by type, status")
            .getResultList();
    for (Object[] row : rows) {
      jobs.computeIfAbsent((String) row[0], t -> new TreeMap<>())
          .put((String) row[1], ((Number) row[2]).longValue());
    }
    long finished =
        ((Number)
                em.createNativeQuery(
                        "select count(*) from jobs where finished_at > now() - interval '1 minute'")
                    .getSingleResult())
            .longValue();
    List<WorkerView> live =
        workers.seenWithin(WORKER_WINDOW).stream()
            .map(
                s ->
                    new WorkerView(
                        s.heartbeat().workerId(),
                        s.heartbeat().types(),
                        s.heartbeat().capacity(),
                        s.heartbeat().runningJobs(),
                        s.receivedAt()))
            .toList();
    return new Stats(jobs, queues.read(), live, finished, Instant.now());
  }
}
