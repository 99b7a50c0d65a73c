package dev.kiln.gateway.jobs;

import dev.kiln.gateway.jobtypes.JobTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Job counters and durations. Labels are bounded: job type (from the catalog), outcome (three
 * statuses) and, on submissions only, the tenant id. Never job ids, error codes or messages (a
 * synthetic job's error code is chosen by the client).
 *
 * <p>why the tenant on submissions: the issue asks for throughput per tenant. Tenant ids are made
 * by admins, not by clients, so the series grow with the number of tenants times types; a platform
 * with thousands of tenants should drop the label (see the README, "Metrics").
 */
@ApplicationScoped
public class JobMetrics {

  static final String SUBMITTED = "kiln_jobs_submitted_total";
  static final String FINISHED = "kiln_jobs_finished_total";
  static final String DURATION = "kiln_job_duration_seconds";

  @Inject MeterRegistry registry;
  @Inject JobTypes jobTypes;

  /**
   * why: a counter that first appears with the value 1 is invisible to {@code rate()} and {@code
   * increase()}, so the first failure of a type would never show on a dashboard or fire an alert.
   * Every type and outcome starts at 0 instead.
   */
  void registerAtStart(@Observes StartupEvent event) {
    for (String type : jobTypes.names()) {
      for (JobStatus status : JobStatus.values()) {
        if (status.terminal()) {
          finishedCounter(type, status.wire());
        }
      }
      durationTimer(type);
    }
  }

  public void submitted(String type, String tenant) {
    Counter.builder(SUBMITTED)
        .description("Jobs accepted, by type and tenant")
        .tag("type", type)
        .tag("tenant", tenant)
        .register(registry)
        .increment();
  }

  /**
   * A job reached a terminal status and that was stored; its duration runs from submission to the
   * end.
   */
  public void finished(Job job) {
    finishedCounter(job.type, job.status.wire()).increment();
    if (job.finishedAt != null && job.createdAt != null) {
      durationTimer(job.type).record(Duration.between(job.createdAt, job.finishedAt));
    }
  }

  private Counter finishedCounter(String type, String outcome) {
    return Counter.builder(FINISHED)
        .description("Jobs that ended, by type and outcome (succeeded, failed, cancelled)")
        .tag("type", type)
        .tag("outcome", outcome)
        .register(registry);
  }

  private Timer durationTimer(String type) {
    return Timer.builder(DURATION)
        .description("Time from submission to the job's end, queueing and retries included")
        .tag("type", type)
        .publishPercentileHistogram()
        // why: jobs take from a fraction of a second (synthetic) to many minutes (multiview
        // reconstruction); the default range ends at 30 s and would put them all in +Inf
        .minimumExpectedValue(Duration.ofMillis(50))
        .maximumExpectedValue(Duration.ofHours(2))
        .register(registry);
  }
}
