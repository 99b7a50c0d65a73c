package dev.kiln.worker.execution;

import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.broker.ConfirmedEventSink;
import dev.kiln.worker.broker.DeliveryHandler;
import dev.kiln.worker.broker.EventPublisher;
import dev.kiln.worker.broker.JobDelivery;
import dev.kiln.worker.config.WorkerConfig;
import dev.kiln.worker.config.WorkerIdentity;
import dev.kiln.worker.observability.WorkerMetrics;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.PipelineRunner;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.pipeline.RunRequest;
import dev.kiln.worker.storage.ObjectStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Turns job messages into runs: one virtual thread per message, at most {@code concurrency} runs at
 * once, and the message acked only once the run's terminal event is confirmed by the broker.
 */
@Singleton
public class JobExecutor implements DeliveryHandler {

  private static final Logger LOG = Logger.getLogger(JobExecutor.class);
  private static final long SLOT_POLL_MS = 200;

  /** Identity-compared, so a duplicate delivery of a running attempt is tracked separately. */
  private static final class RunningJob {
    final UUID jobId;

    RunningJob(UUID jobId) {
      this.jobId = jobId;
    }
  }

  private final WorkerConfig config;
  private final String workerId;
  private final CancelRegistry cancels;
  private final ConfirmedEventSink.EventChannel publisher;
  private final PipelineRegistry pipelines;
  private final WorkerMetrics metrics;
  private final PipelineRunner runner;
  private final Set<String> types;
  private final Semaphore slots;
  private final Set<RunningJob> running = ConcurrentHashMap.newKeySet();
  // why: counts threads from delivery to settlement, including those still waiting for a slot,
  // so shutdown knows when nothing can touch the channels any more
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  @Inject
  public JobExecutor(
      WorkerConfig config,
      WorkerIdentity identity,
      CancelRegistry cancels,
      EventPublisher publisher,
      PipelineRegistry pipelines,
      WorkerMetrics metrics,
      ObjectStore store) {
    this(config, identity.id(), cancels, publisher, pipelines, metrics, store);
  }

  JobExecutor(
      WorkerConfig config,
      String workerId,
      CancelRegistry cancels,
      ConfirmedEventSink.EventChannel publisher,
      PipelineRegistry pipelines,
      WorkerMetrics metrics,
      ObjectStore store) {
    this.config = config;
    this.workerId = workerId;
    this.cancels = cancels;
    this.publisher = publisher;
    this.pipelines = pipelines;
    this.metrics = metrics;
    this.runner = new PipelineRunner(store, config.progressInterval(), metrics);
    this.types = Set.copyOf(pipelines.types());
    this.slots = new Semaphore(config.concurrency());
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
      spawn("kiln-cancelled-" + job.jobId(), () -> skipCancelled(job, delivery));
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
    if (!acquireSlot()) {
      delivery.requeue();
      return;
    }
    RunningJob handle = new RunningJob(job.jobId());
    ConfirmedEventSink sink = null;
    try {
      // why: the cancellation may have arrived while the message waited for a slot
      if (cancels.isCancelled(job.jobId(), job.attempt())) {
        skipCancelled(job, delivery);
        return;
      }
      running.add(handle);
      if (delivery.redelivered()) {
        LOG.infof(
            "job %s attempt %d was redelivered; running it again", job.jobId(), job.attempt());
      }
      JobPipeline pipeline = pipelines.find(job.type()).orElseThrow();
      sink = newSink();
      RunRequest request =
          new RunRequest(
              job,
              workerId,
              slots.availablePermits(),
              () -> cancels.isCancelled(job.jobId(), job.attempt()));
      RunOutcome outcome = runner.run(request, pipeline, sink);
      settle(job, delivery, sink, outcome);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      delivery.requeue();
    } catch (RuntimeException | Error e) {
      LOG.errorf(e, "job %s attempt %d: run aborted", job.jobId(), job.attempt());
      failAborted(job, delivery, sink, e);
    } finally {
      running.remove(handle);
      slots.release();
    }
  }

  /** Acks once every event of the run is confirmed; otherwise the message goes back. */
  private void settle(
      JobMessage job, JobDelivery delivery, ConfirmedEventSink sink, RunOutcome outcome)
      throws InterruptedException {
    if (sink.awaitConfirmed(config.confirmTimeout())) {
      delivery.ack();
    } else {
      // why: acking now could lose the terminal event for good; a rerun republishes it
      LOG.errorf(
          "job %s: events not confirmed within %s; returning the message to the queue",
          job.jobId(), config.confirmTimeout());
      delivery.requeue();
    }
    metrics.jobFinished(job.type(), outcome.label());
    LOG.infof("job %s attempt %d %s", job.jobId(), job.attempt(), outcome.label());
  }

  /**
   * A run that broke outside the runner's handling (a pipeline whose stages cannot be listed, an
   * Error) ends as a retryable INTERNAL_ERROR and its message is acked. why: it would break the
   * same way on every redelivery, so requeueing would loop forever with the job stuck; the client
   * can retry once the worker is fixed.
   */
  private void failAborted(
      JobMessage job, JobDelivery delivery, ConfirmedEventSink runSink, Throwable cause) {
    try {
      ConfirmedEventSink sink = runSink != null ? runSink : newSink();
      if (!sink.terminalEmitted()) {
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
                sink.lastSeq() + 1,
                new EventPayload.JobFailed("INTERNAL_ERROR", message, true, null)));
      }
      settle(job, delivery, sink, RunOutcome.FAILED);
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
   * A message for an attempt cancelled before it started here. why: it may be the redelivery of a
   * run whose worker died after {@code job.started}; the gateway then shows the job running until
   * it hears {@code job.cancelled}. A gateway that already cancelled the queued job ignores it.
   */
  private void skipCancelled(JobMessage job, JobDelivery delivery) {
    LOG.infof(
        "job %s attempt %d was cancelled before it started; ending it without running",
        job.jobId(), job.attempt());
    if (reportAlone(job.jobId(), job.attempt(), new EventPayload.JobCancelled("requested", null))) {
      delivery.ack();
      metrics.jobFinished(job.type(), RunOutcome.CANCELLED.label());
    } else {
      LOG.errorf(
          "job %s: job.cancelled not confirmed within %s; returning the message to the queue",
          job.jobId(), config.confirmTimeout());
      delivery.requeue();
    }
  }

  /**
   * A message that names its job and attempt but cannot run here. why: rejected without a word, the
   * job would stay queued forever; {@code job.failed} ends it where the client can see why.
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
      delivery.reject();
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
      sink.emit(event(jobId, attempt, 1, payload));
      return sink.awaitConfirmed(config.confirmTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private ConfirmedEventSink newSink() {
    return new ConfirmedEventSink(publisher, config.confirmTimeout());
  }

  private JobEvent event(UUID jobId, int attempt, long seq, EventPayload payload) {
    return new JobEvent(
        JobEvent.VERSION, UUID.randomUUID(), jobId, attempt, seq, Instant.now(), workerId, payload);
  }

  private boolean acquireSlot() {
    try {
      while (!draining) {
        if (slots.tryAcquire(SLOT_POLL_MS, TimeUnit.MILLISECONDS)) {
          if (!draining) {
            return true;
          }
          slots.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Stops starting jobs; messages still waiting for a slot go back to their queue. */
  public void startDraining() {
    draining = true;
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
    return running.size();
  }

  public List<UUID> runningJobIds() {
    return running.stream().map(r -> r.jobId).distinct().toList();
  }
}
