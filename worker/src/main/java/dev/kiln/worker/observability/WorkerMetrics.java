package dev.kiln.worker.observability;

import dev.kiln.worker.pipeline.RunObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The worker's own meters. Labels are job type, stage and outcome only: all small fixed sets (never
 * job ids, which would create a time series per job).
 */
@Singleton
public class WorkerMetrics implements RunObserver {

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
    Counter.builder("kiln.worker.jobs.finished")
        .description("Job runs that ended, by outcome")
        .tag("type", type)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
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
    Counter.builder("kiln.worker.jobs.retried")
        .description("Attempts that failed retryably and whose next attempt was scheduled")
        .tag("type", jobType)
        .register(registry)
        .increment();
  }

  /** {@code kiln_worker_jobs_timed_out_total{type}}: attempts aborted by their timeout. */
  @Override
  public void timedOut(String jobType) {
    Counter.builder("kiln.worker.jobs.timed.out")
        .description("Attempts aborted because they ran past their timeout")
        .tag("type", jobType)
        .register(registry)
        .increment();
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

  /** {@code kiln_worker_stage_duration_seconds{type,stage}}. */
  @Override
  public void stageCompleted(String jobType, String stage, Duration took) {
    Timer.builder("kiln.worker.stage.duration")
        .description("Wall time of successfully completed stages")
        .tag("type", jobType)
        .tag("stage", stage)
        .register(registry)
        .record(took);
  }
}
