package dev.kiln.worker.execution;

import dev.kiln.model.broker.Topology;
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
  private final EventPublisher publisher;
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
    this.config = config;
    this.workerId = identity.id();
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
      LOG.warnf("rejecting message from %s: %s", Topology.workQueue(queueType), decoded.problem());
      metrics.messageRejected();
      delivery.reject();
      return;
    }
    JobMessage job = decoded.job();
    if (cancels.isCancelled(job.jobId(), job.attempt())) {
      skipCancelled(job, delivery);
      return;
    }
    if (draining) {
      delivery.requeue();
      return;
    }
    inFlight.incrementAndGet();
    Thread.ofVirtual()
        .name("kiln-job-" + job.jobId())
        .start(
            () -> {
              try {
                execute(job, delivery);
              } finally {
                inFlight.decrementAndGet();
              }
            });
  }

  private void execute(JobMessage job, JobDelivery delivery) {
    if (!acquireSlot()) {
      delivery.requeue();
      return;
    }
    RunningJob handle = new RunningJob(job.jobId());
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
      ConfirmedEventSink sink = new ConfirmedEventSink(publisher, config.confirmTimeout());
      RunRequest request =
          new RunRequest(
              job,
              workerId,
              slots.availablePermits(),
              () -> cancels.isCancelled(job.jobId(), job.attempt()));
      RunOutcome outcome = runner.run(request, pipeline, sink);
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      delivery.requeue();
    } catch (RuntimeException | Error e) {
      LOG.errorf(e, "job %s: run aborted; returning the message to the queue", job.jobId());
      delivery.requeue();
    } finally {
      running.remove(handle);
      slots.release();
    }
  }

  private void skipCancelled(JobMessage job, JobDelivery delivery) {
    // why: the gateway recorded the cancellation itself; events from here would contradict it
    LOG.infof(
        "job %s attempt %d was cancelled before it started; dropping it",
        job.jobId(), job.attempt());
    delivery.ack();
    metrics.jobFinished(job.type(), RunOutcome.CANCELLED.label());
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
