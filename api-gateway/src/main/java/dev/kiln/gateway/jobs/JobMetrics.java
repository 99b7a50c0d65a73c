package dev.kiln.gateway.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/** Job counters and durations. Labels are bounded: job type and outcome only, never ids. */
@ApplicationScoped
public class JobMetrics {

  @Inject MeterRegistry registry;

  public void submitted(String type) {
    registry.counter("kiln_jobs_submitted_total", "type", type).increment();
  }

  /** A job reached a terminal status; its duration runs from submission to the end. */
  public void finished(Job job) {
    registry
        .counter("kiln_jobs_finished_total", "type", job.type, "outcome", job.status.wire())
        .increment();
    if (job.finishedAt != null && job.createdAt != null) {
      Timer.builder("kiln_job_duration_seconds")
          .description("Time from submission to the job's end")
          .tag("type", job.type)
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.between(job.createdAt, job.finishedAt));
    }
  }
}
