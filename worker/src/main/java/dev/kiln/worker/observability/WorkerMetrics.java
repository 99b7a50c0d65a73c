package dev.kiln.worker.observability;

import dev.kiln.model.metrics.LatencyBuckets;
import dev.kiln.worker.pipeline.RunObserver;
import dev.kiln.worker.pipeline.RunOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * The worker's own meters. Labels are job type, stage and outcome only: all small fixed sets (never
 * job ids, which would create a time series per job).
 */
@Singleton
public class WorkerMetrics implements RunObserver {

  /** Upper bounds of the stage duration histogram's buckets (Prometheus adds +Inf). */
  static final Duration[] STAGE_BUCKETS =
      LatencyBuckets.between(Duration.ofMillis(50), Duration.ofMinutes(15));

  private final MeterRegistry registry;

  @Inject
  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code kiln_worker_jobs_running}: jobs executing right now. */
  public void registerRunningGauge(Supplier<Number> running) {
    Gauge.builder("kiln.worker.jobs.running", running)
        .description("Jobs this worker is executing right now")
        .register(registry);
  }

  /** {@code kiln_worker_jobs_finished_total{type,outcome}}. */
  public void jobFinished(String type, String outcome) {
    finishedCounter(type, outcome).increment();
  }

  private Counter finishedCounter(String type, String outcome) {
    return Counter.builder("kiln.worker.jobs.finished")
        .description("Job runs that ended, by outcome")
        .tag("type", type)
        .tag("outcome", outcome)
        .register(registry);
  }

  /** {@code kiln_worker_messages_rejected_total}: undecodable or foreign job messages. */
  public void messageRejected() {
    Counter.builder("kiln.worker.messages.rejected")
        .description("Job messages rejected without running")
        .register(registry)
        .increment();
  }

  /** {@code kiln_worker_jobs_retried_total{type}}: attempts that failed and were rescheduled. */
  @Override
  public void retryScheduled(String jobType) {
    retriedCounter(jobType).increment();
  }

  private Counter retriedCounter(String jobType) {
    return Counter.builder("kiln.worker.jobs.retried")
        .description("Attempts that failed retryably and whose next attempt was scheduled")
        .tag("type", jobType)
        .register(registry);
  }

  /** {@code kiln_worker_jobs_timed_out_total{type}}: attempts aborted by their timeout. */
  @Override
  public void timedOut(String jobType) {
    timedOutCounter(jobType).increment();
  }

  private Counter timedOutCounter(String jobType) {
    return Counter.builder("kiln.worker.jobs.timed.out")
        .description("Attempts aborted because they ran past their timeout")
        .tag("type", jobType)
        .register(registry);
  }

  /**
   * {@code kiln_worker_deliveries_duplicate_total{type}}: deliveries of an attempt that had already
   * ended, acked without running.
   */
  public void duplicateDelivery(String jobType) {
    Counter.builder("kiln.worker.deliveries.duplicate")
        .description("Deliveries of an attempt that had already ended, acked without running")
        .tag("type", jobType)
        .register(registry)
        .increment();
  }

  /**
   * {@code kiln_stage_duration_seconds{type,stage}}: wall time of each stage run that completed, as
   * a histogram. Stage names come from the pipelines (a fixed list per type), never from jobs.
   */
  @Override
  public void stageCompleted(String jobType, String stage, Duration took) {
    Timer.builder("kiln.stage.duration")
        .description("Wall time of stage runs that completed, by job type and stage")
        .tag("type", jobType)
        .tag("stage", stage)
        // why fixed buckets: 12 per stage instead of a full percentile histogram's ~70, times
        // every stage of every type; they span a synthetic stage's milliseconds to a long
        // reconstruction stage
        .serviceLevelObjectives(STAGE_BUCKETS)
        .register(registry)
        .record(took);
  }

  /**
   * Starts the per-type counters at 0 for the types this worker consumes. why: a counter that first
   * appears with the value 1 is invisible to {@code rate()} and {@code increase()}, so the first
   * retry or timeout of a type would never show on a dashboard.
   */
  public void registerTypes(Collection<String> types) {
    for (String type : types) {
      for (RunOutcome outcome : RunOutcome.values()) {
        if (outcome.terminal()) {
          finishedCounter(type, outcome.label());
        }
      }
      retriedCounter(type);
      timedOutCounter(type);
    }
  }
}
