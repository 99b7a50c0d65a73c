package dev.kiln.gateway.watchdog;

import dev.kiln.gateway.artifacts.ArtifactKeys;
import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.jobs.JobControl;
import dev.kiln.gateway.jobs.JobMetrics;
import dev.kiln.gateway.jobs.JobProjection;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.gateway.stats.WorkerRegistry;
import dev.kiln.gateway.storage.ObjectStore;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.storage.WorkArea;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Recovers running jobs whose worker went silent: no event for a number of heartbeat intervals, and
 * no live worker lists the job in its heartbeat. (A worker whose connection drops has its message
 * redelivered by the broker, and the next run reports job.started; this catches the rest, such as a
 * worker that hangs with its connection open.) A recovered job gets its next attempt if its policy
 * allows one, published at once; otherwise it fails with {@code WORKER_LOST}, which is retryable.
 *
 * <p>It also republishes retries that are overdue: a job queued for its next attempt that has not
 * started {@link WatchdogConfig#overdueAfter()} after its {@code nextRunAt}. why: the broker keeps
 * a waiting retry through a restart, but the database is the record of what must run, and a
 * duplicate costs little (a worker that finds the attempt done settles the copy without running
 * it).
 *
 * <p>Every replica schedules it, and one at a time runs it: a transaction-scoped advisory lock
 * elects the runner, and the rows are claimed with {@code FOR UPDATE SKIP LOCKED} in small batches.
 * Heartbeats reach every replica, so any runner knows the live workers, once it has been connected
 * long enough to have heard from them.
 */
@ApplicationScoped
public class Watchdog {

  private static final Logger LOG = Logger.getLogger(Watchdog.class);

  public static final String WORKER_LOST = "WORKER_LOST";

  /** The advisory lock key: "kiln-wd" in ASCII. */
  static final long LOCK_KEY = 0x6b696c6e2d7764L;

  private static final String CLAIM =
      "select id from jobs where status = 'running' and greatest(last_event_at, updated_at) < ?"
          + " and not (id = any(?)) and type = any(?) order by updated_at limit ?"
          + " for update skip locked";

  private static final String CLAIM_OVERDUE =
      "select id from jobs where status = 'queued' and attempt > 1 and next_run_at < ?"
          + " and greatest(last_event_at, updated_at) < ? and type = any(?)"
          + " order by next_run_at limit ? for update skip locked";

  @Inject WatchdogConfig config;
  @Inject Broker broker;
  @Inject WorkerRegistry workers;
  @Inject SilenceEvidence evidence;
  @Inject JobControl control;
  @Inject JobMetrics metrics;
  @Inject ObjectStore store;
  @Inject EntityManager em;
  @Inject MeterRegistry registry;

  private record Recovered(Job job, String outcome) {}

  static final String RECOVERED = "kiln_watchdog_recovered_total";

  /** why: counters start at 0, so the first recovery shows in rate() and increase(). */
  void registerAtStart(@Observes StartupEvent event) {
    for (String outcome : new String[] {"retried", "failed", "cancelled", "republished"}) {
      registry.counter(RECOVERED, "outcome", outcome);
    }
  }

  @Scheduled(
      every = "${kiln.watchdog.heartbeat-interval:10S}",
      delayed = "${kiln.watchdog.heartbeat-interval:10S}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void run() {
    if (!config.enabled()) {
      return;
    }
    try {
      List<String> types = evidence.judgeableTypes();
      if (!types.isEmpty()) {
        sweep(types);
      }
    } catch (RuntimeException e) {
      evidence.sweepFailed();
      LOG.warnf("watchdog run failed: %s", e.toString());
    }
  }

  /** One run over jobs of {@code types}: recovers at most a batch of silent jobs. */
  int sweep(List<String> types) {
    Duration quiet = config.quietPeriod();
    Instant now = Instant.now();
    Set<UUID> alive = workers.runningJobs(quiet);
    List<Recovered> recovered =
        QuarkusTransaction.requiringNew().call(() -> recover(now, now.minus(quiet), alive, types));
    for (Recovered r : recovered) {
      registry.counter(RECOVERED, "outcome", r.outcome()).increment();
      if (r.job().status.terminal()) {
        metrics.finished(r.job());
      }
      if ("cancelled".equals(r.outcome())) {
        removeArtifacts(r.job().id);
      }
    }
    return recovered.size();
  }

  private List<Recovered> recover(
      Instant now, Instant quietSince, Set<UUID> alive, List<String> types) {
    Session session = em.unwrap(Session.class);
    boolean leader =
        session.doReturningWork(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                ps.setLong(1, LOCK_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() && rs.getBoolean(1);
                }
              }
            });
    if (!leader) {
      return List.of();
    }
    List<UUID> ids =
        session.doReturningWork(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setTimestamp(1, Timestamp.from(quietSince));
                ps.setArray(2, c.createArrayOf("uuid", alive.toArray()));
                ps.setArray(3, c.createArrayOf("text", types.toArray()));
                ps.setInt(4, config.batchSize());
                return ids(ps);
              }
            });
    List<Recovered> recovered = new ArrayList<>();
    for (UUID id : ids) {
      Job job = em.find(Job.class, id);
      recovered.add(recover(job, now));
    }
    Instant overdueSince = now.minus(config.overdueAfter());
    List<UUID> overdue =
        session.doReturningWork(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(CLAIM_OVERDUE)) {
                ps.setTimestamp(1, Timestamp.from(overdueSince));
                ps.setTimestamp(2, Timestamp.from(overdueSince));
                ps.setArray(3, c.createArrayOf("text", types.toArray()));
                ps.setInt(4, config.batchSize());
                return ids(ps);
              }
            });
    for (UUID id : overdue) {
      Job job = em.find(Job.class, id);
      LOG.warnf(
          "job %s attempt %d: due at %s and not started; publishing it again",
          job.id, job.attempt, job.nextRunAt);
      job.updatedAt = now;
      control.publishAttempt(job);
      recovered.add(new Recovered(job, "republished"));
    }
    return recovered;
  }

  private static List<UUID> ids(PreparedStatement ps) throws java.sql.SQLException {
    List<UUID> found = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        found.add(rs.getObject(1, UUID.class));
      }
    }
    return found;
  }

  private Recovered recover(Job job, Instant now) {
    String detail =
        "no event for "
            + config.quietPeriod().toSeconds()
            + " s and no worker lists the job as running";
    int attempt = job.attempt;
    supersede(job.id, attempt);
    String outcome;
    if (job.cancelRequested) {
      // why: the client asked to stop this attempt, and nobody is left to report it stopped
      control.record(job, new EventPayload.JobCancelled("worker_lost", job.currentStage), now);
      outcome = "cancelled";
    } else if (job.policy().allowsRetryAfter(job.attempt)) {
      JobProjection.Outcome o =
          control.record(
              job,
              new EventPayload.JobRetrying(
                  job.attempt + 1, now, WORKER_LOST, detail, job.currentStage),
              now);
      if (o.rescheduled()) {
        control.publishAttempt(job);
      }
      outcome = "retried";
    } else {
      control.record(
          job, new EventPayload.JobFailed(WORKER_LOST, detail, true, job.currentStage), now);
      outcome = "failed";
    }
    LOG.warnf("job %s attempt %d: worker lost, %s", job.id, attempt, outcome);
    return new Recovered(job, outcome);
  }

  /**
   * Marks the attempt as replaced in the object store before the database says so. why: its message
   * may only be waiting in the broker (redelivered after a crash, with no worker free); without the
   * mark a worker would run it later beside its replacement, overwriting its artifacts (and a
   * poison message would keep killing workers under two attempts). Best effort: the store may be
   * down, and the older attempt's events are ignored anyway.
   */
  private void supersede(UUID jobId, int attempt) {
    try {
      store.put(
          WorkArea.supersededKey(jobId, attempt),
          new java.io.ByteArrayInputStream(new byte[0]),
          0,
          "application/octet-stream");
    } catch (Exception e) {
      LOG.warnf("cannot mark attempt %d of job %s as replaced: %s", attempt, jobId, e.toString());
    }
  }

  /** why: the worker that would have removed a cancelled job's partial artifacts is gone. */
  private void removeArtifacts(UUID jobId) {
    try {
      store.removePrefix(ArtifactKeys.prefix(jobId));
    } catch (Exception e) {
      LOG.warnf("cannot remove the artifacts of cancelled job %s: %s", jobId, e.toString());
    }
  }
}
