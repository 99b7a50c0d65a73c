package dev.kiln.worker;

import dev.kiln.worker.broker.BrokerConnections;
import dev.kiln.worker.broker.ControlConsumer;
import dev.kiln.worker.broker.EventPublisher;
import dev.kiln.worker.broker.HeartbeatPublisher;
import dev.kiln.worker.broker.RetryPublisher;
import dev.kiln.worker.broker.WorkConsumers;
import dev.kiln.worker.config.WorkerConfig;
import dev.kiln.worker.config.WorkerIdentity;
import dev.kiln.worker.execution.CancelRegistry;
import dev.kiln.worker.execution.JobExecutor;
import dev.kiln.worker.execution.PipelineRegistry;
import dev.kiln.worker.observability.WorkerMetrics;
import dev.kiln.worker.storage.MinioObjectStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import org.jboss.logging.Logger;

/** Starts the worker in dependency order and stops it gracefully. */
@Singleton
public class WorkerLifecycle {

  private static final Logger LOG = Logger.getLogger(WorkerLifecycle.class);
  private static final long BUCKET_RETRY_MS = 5_000;

  @Inject WorkerConfig config;
  @Inject WorkerIdentity identity;
  @Inject PipelineRegistry pipelines;
  @Inject MinioObjectStore store;
  @Inject BrokerConnections connections;
  @Inject EventPublisher publisher;
  @Inject RetryPublisher retries;
  @Inject ControlConsumer control;
  @Inject HeartbeatPublisher heartbeat;
  @Inject WorkConsumers consumers;
  @Inject JobExecutor executor;
  @Inject CancelRegistry cancels;
  @Inject WorkerMetrics metrics;

  private volatile boolean stopping;

  void onStart(@Observes StartupEvent event) throws Exception {
    List<String> types = pipelines.types();
    ensureBucket();
    // why: fail fast when the broker is unreachable at boot; the orchestrator restarts us, and
    // automatic recovery covers outages after the first connection
    connections.open();
    // why: first, because it declares the shared exchanges, and cancellations must be heard
    // before the first job can start
    control.start(
        connections.consuming(), identity.id(), c -> cancels.cancel(c.jobId(), c.attempt()));
    publisher.start(connections.publishing());
    retries.start(connections.publishing());
    metrics.registerRunningGauge(executor::runningCount);
    metrics.registerTypes(types);
    heartbeat.start(
        config.heartbeatInterval(),
        identity.id(),
        types,
        config.concurrency(),
        executor::heldJobIds);
    int prefetch = config.prefetch().orElse(2 * config.concurrency());
    consumers.start(connections.consuming(), types, prefetch, identity.id(), executor);
    LOG.infof(
        "worker %s started: types %s, concurrency %d, prefetch %d",
        identity.id(), types, config.concurrency(), prefetch);
  }

  private void ensureBucket() {
    try {
      store.ensureBucket();
    } catch (IOException e) {
      // why: the store may come up after us; readiness stays DOWN until the bucket answers
      LOG.warnf("bucket %s not available yet, retrying in background: %s", store.bucket(), e);
      Thread.ofVirtual().name("kiln-ensure-bucket").start(this::retryBucket);
    }
  }

  private void retryBucket() {
    while (!stopping) {
      try {
        Thread.sleep(BUCKET_RETRY_MS);
        store.ensureBucket();
        LOG.infof("bucket %s available", store.bucket());
        return;
      } catch (IOException e) {
        LOG.debugf("bucket still unavailable: %s", e.toString());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopping = true;
    consumers.stopConsuming();
    executor.startDraining();
    try {
      if (!executor.awaitIdle(config.shutdownGrace())) {
        LOG.warnf(
            "%d job(s) still running after %s; their messages return to the queue and resume"
                + " from their checkpoints",
            executor.runningCount(), config.shutdownGrace());
        // why: a job that went on after its message was handed back could end a second time
        // next to the worker that resumes it
        executor.abandonRunning();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    heartbeat.stop();
    // why: closing the work channels is what hands unacked messages back to the broker
    consumers.close();
    control.close();
    retries.close();
    publisher.close();
    connections.close();
    LOG.infof("worker %s stopped", identity.id());
  }
}
