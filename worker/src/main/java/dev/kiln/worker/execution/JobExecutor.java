package dev.kiln.worker.execution;

import dev.kiln.model.broker.Topology;
import dev.kiln.model.broker.TraceHeaders;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.outbound.UrlFetcher;
import dev.kiln.worker.broker.ConfirmedEventSink;
import dev.kiln.worker.broker.DeliveryHandler;
import dev.kiln.worker.broker.EventPublisher;
import dev.kiln.worker.broker.JobDelivery;
import dev.kiln.worker.broker.RetryPublisher;
import dev.kiln.worker.config.StorageConfig;
import dev.kiln.worker.config.WorkerConfig;
import dev.kiln.worker.config.WorkerIdentity;
import dev.kiln.worker.observability.WorkerMetrics;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.PipelineRunner;
import dev.kiln.worker.pipeline.RetryScheduler;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.pipeline.RunRequest;
import dev.kiln.worker.pipeline.RunResult;
import dev.kiln.worker.storage.ObjectStore;
import dev.kiln.worker.storage.RetryingStore;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Turns job messages into runs: one virtual thread per message, at most {@code concurrency} runs at
 * once, and the message settled only once the run's last event is confirmed by the broker: acked
 * when the attempt ended or its retry is scheduled, rejected into the dead letters when its last
 * attempt failed retryably, requeued when the run did not end the attempt.
 */
@Singleton
public class JobExecutor implements DeliveryHandler {

  private static final Logger LOG = Logger.getLogger(JobExecutor.class);

  private final Tracer tracer;
  private final WorkerConfig config;
  private final String workerId;
  private final CancelRegistry cancels;
  private final ConfirmedEventSink.EventChannel publisher;
  private final PipelineRegistry pipelines;
  private final WorkerMetrics metrics;
  private final PipelineRunner runner;
  private final Set<String> types;
  private final RunSlots slots;
  private final HeldJobs jobs = new HeldJobs();
  // why: counts threads from delivery to settlement, including those still waiting for a slot,
  // so shutdown knows when nothing can touch the channels any more
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;
  // why: set when shutdown ran out of grace; running jobs stop at their next check without any
  // further event, keeping their checkpoints for the worker that gets their messages next
  private volatile boolean abandoning;

  @Inject
  public JobExecutor(
      WorkerConfig config,
      StorageConfig storage,
      WorkerIdentity identity,
      CancelRegistry cancels,
      EventPublisher publisher,
      RetryPublisher retries,
      PipelineRegistry pipelines,
      WorkerMetrics metrics,
      ObjectStore store,
      UrlFetcher fetcher,
      OpenTelemetry telemetry) {
    this(
        config,
        identity.id(),
        cancels,
        publisher,
        retries,
        pipelines,
        metrics,
        new RetryingStore(
            store,
            storage.retryInitialBackoff(),
            storage.retryMaxBackoff(),
            storage.retryTimeout()),
        fetcher,
        telemetry.getTracer("kiln-worker"));
  }

  /**
   * The executor with its collaborators given directly. why: tests build it around an in-memory
   * channel and store, and pass {@link UrlFetcher#DISABLED} so runs refuse URL inputs without
   * touching the network.
   */
  JobExecutor(
      WorkerConfig config,
      String workerId,
      CancelRegistry cancels,
      ConfirmedEventSink.EventChannel publisher,
      RetryScheduler retries,
      PipelineRegistry pipelines,
      WorkerMetrics metrics,
      RetryingStore store,
      UrlFetcher fetcher,
      Tracer tracer) {
    this.tracer = tracer;
    this.config = config;
    this.workerId = workerId;
    this.cancels = cancels;
    this.publisher = publisher;
    this.pipelines = pipelines;
    this.metrics = metrics;
    this.runner =
        new PipelineRunner(
            store,
            config.progressInterval(),
            metrics,
            retries,
            () -> ThreadLocalRandom.current().nextDouble(),
            fetcher,
            tracer);
    this.types = Set.copyOf(pipelines.types());
    this.slots = new RunSlots(config.concurrency(), () -> draining);
  }

  @Override
  public void onDelivery(String queueType, JobDelivery delivery) {
    JobMessageDecoder.Decoded decoded = JobMessageDecoder.decode(delivery.body(), types);
    if (!decoded.ok()) {
      if (decoded.reportable()) {
        spawn(
            "kiln-unrunnable-" + decoded.jobId(),
            () -> failUnrunnable(queueType, decoded, delivery));
        return;
      }
      LOG.warnf("rejecting message from %s: %s", Topology.workQueue(queueType), decoded.problem());
      metrics.messageRejected();
      delivery.reject();
      return;
    }
    JobMessage job = decoded.job();
    if (cancels.isCancelled(job.jobId(), job.attempt())) {
      // why: without waiting for a slot; the run ends at once with job.cancelled
      spawn("kiln-cancelled-" + job.jobId(), () -> runAndSettle(job, delivery, () -> {}));
      return;
    }
    if (draining) {
      delivery.requeue();
      return;
    }
    spawn("kiln-job-" + job.jobId(), () -> execute(job, delivery));
  }

  /** Runs on a virtual thread of its own: publishing waits for the broker, the caller must not. */
  private void spawn(String name, Runnable task) {
    inFlight.incrementAndGet();
    try {
      Thread.ofVirtual()
          .name(name)
          .start(
              () -> {
                try {
                  task.run();
                } finally {
                  inFlight.decrementAndGet();
                }
              });
    } catch (RuntimeException | Error e) {
      inFlight.decrementAndGet();
      throw e;
    }
  }

  private void execute(JobMessage job, JobDelivery delivery) {
    try (HeldJobs.Hold hold = jobs.hold(job.jobId())) {
      executeHeld(job, delivery, hold);
    }
  }

  private void executeHeld(JobMessage job, JobDelivery delivery, HeldJobs.Hold hold) {
    boolean alone = delivery.redelivered() && runner.crashedRuns(job) > 0;
    if (alone) {
      LOG.warnf(
          "job %s attempt %d: an earlier run died with its worker; running it alone",
          job.jobId(), job.attempt());
    }
    RunSlots.Lease lease = acquire(alone);
    if (lease == null) {
      delivery.requeue();
      return;
    }
    try (lease) {
      hold.running();
      // why: the slot bounds the jobs computing at once; waiting for the run's confirms needs no
      // slot, so the next job starts while the last one's events are still on their way
      runAndSettle(job, delivery, lease::close);
    }
  }

  private RunSlots.Lease acquire(boolean alone) {
    try {
      return slots.acquire(alone);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * One run of the message's attempt, then its settlement, under a span that continues the trace
   * the message carries (a new trace when it carries none). Stage spans and the events' trace
   * headers hang off this span, since it is current on this thread throughout.
   */
  private void runAndSettle(JobMessage job, JobDelivery delivery, Runnable runEnded) {
    Span span =
        tracer
            .spanBuilder("job " + job.type())
            .setParent(TraceHeaders.extract(delivery.headers()))
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("kiln.job.id", job.jobId().toString())
            .setAttribute("kiln.job.attempt", job.attempt())
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      runAndSettleTraced(job, delivery, runEnded);
    } finally {
      span.end();
    }
  }

  private void runAndSettleTraced(JobMessage job, JobDelivery delivery, Runnable runEnded) {
    ConfirmedEventSink sink = null;
    try {
      if (delivery.redelivered()) {
        LOG.infof("job %s attempt %d was redelivered; resuming it", job.jobId(), job.attempt());
      }
      JobPipeline pipeline = pipelines.find(job.type()).orElseThrow();
      sink = newSink();
      RunRequest request =
          new RunRequest(
              job,
              workerId,
              slots.available(),
              () -> cancels.isCancelled(job.jobId(), job.attempt()),
              UUID.randomUUID(),
              () -> abandoning || delivery.lost(),
              delivery.redelivered());
      RunResult result = runner.run(request, pipeline, sink);
      runEnded.run();
      settle(job, delivery, sink, result);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      delivery.requeue();
    } catch (RuntimeException | Error e) {
      LOG.errorf(e, "job %s attempt %d: run aborted", job.jobId(), job.attempt());
      failAborted(job, delivery, sink, e);
    }
  }

  /**
   * Settles the message once every event of the run is confirmed; a message whose events are not
   * confirmed goes back instead (a rerun finishes the same ending, with the same event ids).
   */
  private void settle(JobMessage job, JobDelivery delivery, ConfirmedEventSink sink, RunResult r)
      throws InterruptedException {
    RunOutcome outcome = r.outcome();
    switch (r.disposition()) {
      case REQUEUE -> {
        LOG.infof("job %s attempt %d: run %s; message returned", job.jobId(), job.attempt(), r);
        delivery.requeue();
        return;
      }
      case ACK, DEAD_LETTER -> {
        if (!sink.awaitConfirmed(config.confirmTimeout())) {
          // why: settling now could lose the last event for good; a rerun republishes it
          LOG.errorf(
              "job %s: events not confirmed within %s; returning the message to the queue",
              job.jobId(), config.confirmTimeout());
          delivery.requeue();
          return;
        }
        runner.complete(r);
        if (r.disposition() == dev.kiln.worker.pipeline.Disposition.DEAD_LETTER) {
          delivery.reject();
        } else {
          delivery.ack();
        }
      }
    }
    switch (outcome) {
      case SUCCEEDED, FAILED, CANCELLED -> metrics.jobFinished(job.type(), outcome.label());
      case DUPLICATE -> metrics.duplicateDelivery(job.type());
      default -> {}
    }
    if (outcome == RunOutcome.SUCCEEDED) {
      // why: a line per successful job is thousands a second at full rate; the gateway keeps
      // every job's events, and failures, retries and cancellations still log at info
      LOG.debugf("job %s attempt %d %s", job.jobId(), job.attempt(), r);
    } else {
      LOG.infof("job %s attempt %d %s", job.jobId(), job.attempt(), r);
    }
  }

  /**
   * A run that broke outside the runner's handling (an Error, a bug in ending the run) ends as a
   * retryable INTERNAL_ERROR and its message is acked. why: it would break the same way on every
   * redelivery, so requeueing would loop with the job stuck; the client can retry once the worker
   * is fixed.
   */
  private void failAborted(
      JobMessage job, JobDelivery delivery, ConfirmedEventSink runSink, Throwable cause) {
    try {
      ConfirmedEventSink sink = runSink != null ? runSink : newSink();
      if (!sink.endEmitted()) {
        // why: like the runner, clients get the exception class only; its message may carry
        // paths, hosts or credentials
        String message =
            "unexpected "
                + cause.getClass().getSimpleName()
                + " outside the job's stages (details in worker log)";
        sink.emit(
            event(
                job.jobId(),
                job.attempt(),
                sink.lastRun(),
                sink.lastSeq() + 1,
                new EventPayload.JobFailed("INTERNAL_ERROR", message, true, null)));
      }
      if (sink.awaitConfirmed(config.confirmTimeout())) {
        delivery.ack();
      } else {
        delivery.requeue();
      }
      metrics.jobFinished(job.type(), RunOutcome.FAILED.label());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      delivery.requeue();
    } catch (RuntimeException | Error e) {
      LOG.errorf(
          e, "job %s: could not report the aborted run; returning it to the queue", job.jobId());
      delivery.requeue();
    }
  }

  /**
   * A message that names its job and attempt but cannot run here. why: dropped without a word, the
   * job would stay queued forever; {@code job.failed} (not retryable) ends it where the client can
   * see why, and the message is acked.
   */
  private void failUnrunnable(
      String queueType, JobMessageDecoder.Decoded decoded, JobDelivery delivery) {
    LOG.warnf(
        "failing job %s attempt %d from %s (%s): %s",
        decoded.jobId(),
        decoded.attempt(),
        Topology.workQueue(queueType),
        decoded.code(),
        decoded.problem());
    EventPayload.JobFailed failed =
        new EventPayload.JobFailed(decoded.code(), decoded.problem(), false, null);
    if (reportAlone(decoded.jobId(), decoded.attempt(), failed)) {
      metrics.messageRejected();
      // why: a non-retryable failure, reported: it does not belong in the dead letters
      delivery.ack();
    } else {
      LOG.errorf(
          "job %s: job.failed not confirmed within %s; returning the message to the queue",
          decoded.jobId(), config.confirmTimeout());
      delivery.requeue();
    }
  }

  /** Publishes the one event of an attempt that does not run here and waits for its confirm. */
  private boolean reportAlone(UUID jobId, int attempt, EventPayload payload) {
    ConfirmedEventSink sink = newSink();
    try {
      sink.emit(event(jobId, attempt, UUID.randomUUID(), 1, payload));
      return sink.awaitConfirmed(config.confirmTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private ConfirmedEventSink newSink() {
    return new ConfirmedEventSink(publisher, config.confirmTimeout());
  }

  private JobEvent event(UUID jobId, int attempt, UUID run, long seq, EventPayload payload) {
    return new JobEvent(
        JobEvent.VERSION,
        UUID.randomUUID(),
        jobId,
        attempt,
        seq,
        Instant.now(),
        workerId,
        payload,
        run != null ? run : UUID.randomUUID());
  }

  /** Stops starting jobs; messages still waiting for a slot go back to their queue. */
  public void startDraining() {
    draining = true;
  }

  /**
   * Makes every running job stop at its next progress check without a further event. For shutdown
   * past the grace period: their messages return to the queue when the channels close, and the next
   * worker resumes them from their checkpoints.
   */
  public void abandonRunning() {
    abandoning = true;
  }

  /**
   * @return true when every received message was settled within {@code grace}
   */
  public boolean awaitIdle(Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return inFlight.get() == 0;
  }

  public int runningCount() {
    return jobs.runningCount();
  }

  /** Jobs whose messages this worker holds: running, or waiting for a slot. */
  public List<UUID> heldJobIds() {
    return jobs.heldJobIds();
  }
}
