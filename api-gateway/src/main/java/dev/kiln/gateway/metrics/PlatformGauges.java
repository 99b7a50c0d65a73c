package dev.kiln.gateway.metrics;

import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.messaging.Broker;
import dev.kiln.gateway.stats.QueueDepths;
import dev.kiln.gateway.stats.WorkerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The gateway's view of the whole platform as gauges: queue depths from the broker, running jobs
 * and queue age from PostgreSQL, live workers from heartbeats, the outbox backlog. One collector
 * reads them all every {@code kiln.metrics.collect-interval} (15 s) on a worker thread.
 *
 * <p>why not read at scrape time: a scrape must never wait for the broker or the database (or pile
 * up connections while they hang), and several Prometheus servers scraping would multiply the load.
 * A reading is at most one interval old, which is finer than any alert built on it.
 *
 * <p>Every gateway replica reports the same platform-wide values; dashboards and alerts take {@code
 * max} over replicas, never {@code sum}.
 */
@Startup
@ApplicationScoped
public class PlatformGauges {

  private static final Logger LOG = Logger.getLogger(PlatformGauges.class);

  @Inject MeterRegistry registry;
  @Inject JobTypes jobTypes;
  @Inject QueueDepths queues;
  @Inject Broker broker;
  @Inject WorkerRegistry workers;
  @Inject JobGaugeQueries db;

  private GaugeFamily queueDepth;
  private GaugeFamily oldestQueuedAge;
  private GaugeFamily running;
  private GaugeFamily liveWorkers;
  private SingleGauge outboxPending;

  /** why warn once per outage: a collector that fails every 15 s must not flood the log. */
  private boolean dbFailing;

  @PostConstruct
  void register() {
    List<String> types = List.copyOf(jobTypes.names());
    queueDepth =
        new GaugeFamily(
            registry,
            "kiln_queue_depth",
            "Messages ready in a Kiln queue (work queues, event store, unroutable, dead letters)",
            "queue",
            queues.names());
    oldestQueuedAge =
        new GaugeFamily(
            registry,
            "kiln_queue_oldest_job_age_seconds",
            "How long the longest-waiting queued job of a type has waited for a worker",
            "type",
            types);
    running =
        new GaugeFamily(registry, "kiln_jobs_running", "Jobs running now, by type", "type", types);
    liveWorkers =
        new GaugeFamily(
            registry,
            "kiln_workers",
            "Workers consuming a job type, by heartbeats heard in the last 30 s",
            "type",
            types);
    outboxPending =
        new SingleGauge(
            registry,
            "kiln_outbox_pending",
            "Outbox messages not yet confirmed by the broker (counted up to 100,000)");
  }

  @Scheduled(
      identity = "kiln-platform-gauges",
      every = "${kiln.metrics.collect-interval:15S}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    collect();
  }

  /** Takes one reading of everything; each source failing on its own leaves the others fresh. */
  public void collect() {
    collectQueues();
    collectDatabase();
    collectWorkers();
  }

  private void collectQueues() {
    if (!broker.isConnected()) {
      // why: a passive declare would only wait for a connection that is not there
      queueDepth.unknown();
      return;
    }
    Map<String, Double> depths = new LinkedHashMap<>();
    // QueueDepths answers -1 for a queue it could not ask about
    queues.read().forEach((queue, depth) -> depths.put(queue, depth < 0 ? Double.NaN : depth));
    queueDepth.set(depths);
  }

  private void collectDatabase() {
    try {
      JobGaugeQueries.JobReading jobs = db.jobs();
      running.set(jobs.running());
      oldestQueuedAge.set(jobs.oldestQueuedAgeSeconds());
      outboxPending.set(db.outboxPending());
      if (dbFailing) {
        LOG.info("job and outbox gauges are read again");
        dbFailing = false;
      }
    } catch (Exception e) {
      running.unknown();
      oldestQueuedAge.unknown();
      outboxPending.unknown();
      if (!dbFailing) {
        LOG.warnf("cannot read the job and outbox gauges: %s", e.toString());
        dbFailing = true;
      }
    }
  }

  private void collectWorkers() {
    Map<String, Integer> byType = new HashMap<>();
    for (WorkerRegistry.Seen seen : workers.seenWithin(WorkerRegistry.LIVE_WINDOW)) {
      for (String type : seen.heartbeat().types()) {
        byType.merge(type, 1, Integer::sum);
      }
    }
    liveWorkers.set(byType);
  }
}
