package dev.kiln.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How this worker process runs jobs; env vars {@code KILN_WORKER_*}. */
@ConfigMapping(prefix = "kiln.worker")
public interface WorkerConfig {

  /**
   * Stable id of this process ({@code KILN_WORKER_ID}), used as event source, in heartbeats and in
   * the name of its control queue. Defaults to the host name plus a short random suffix.
   */
  Optional<String> id();

  /**
   * Job types to consume ({@code KILN_WORKER_TYPES}, comma-separated). Defaults to every job
   * pipeline on the class path; naming a type without a pipeline fails startup.
   */
  Optional<List<String>> types();

  /** Jobs this process runs at once across all types ({@code KILN_WORKER_CONCURRENCY}). */
  @WithDefault("4")
  int concurrency();

  /**
   * Messages each work queue consumer holds unacknowledged ({@code KILN_WORKER_PREFETCH}): jobs
   * running, plus finished ones whose events await the broker's confirms, plus at most a few
   * waiting for a slot. Defaults to twice the concurrency. why more than the concurrency: a
   * finished job keeps its message until its events are confirmed, and without headroom the broker
   * would send the next message only then, leaving the freed slot idle for that round trip; why not
   * much more: held messages are not ready in the queue, so other workers (and the autoscaler,
   * which counts ready messages) do not see them.
   */
  Optional<Integer> prefetch();

  /** Time between two worker heartbeats. */
  @WithDefault("10s")
  Duration heartbeatInterval();

  /**
   * Minimum time between two {@code stage.progress} events of one job, across its stages (the
   * default allows at most 4 per second). The job's first progress report is always sent; {@code
   * stage.started} and {@code stage.completed} are never throttled.
   */
  @WithDefault("250ms")
  Duration progressInterval();

  /**
   * How long shutdown waits for running jobs before closing the channels, which returns their
   * messages to the queue ({@code KILN_WORKER_SHUTDOWN_GRACE}).
   */
  @WithDefault("30s")
  Duration shutdownGrace();

  /**
   * How long the worker tries to get a run's events to the broker before giving up on that run and
   * returning its message to the queue instead of acknowledging it. It bounds two waits: a finished
   * job waiting for the confirms of its events (republishing lost or nacked ones in order), and an
   * event that cannot be published because the event channel is closed or recovering (the job's
   * thread waits for the channel with backoff, since publishing later events first would reorder
   * them).
   */
  @WithDefault("30s")
  Duration confirmTimeout();

  /**
   * Lets the {@code synthetic} job type's {@code crashWorkerAtStage} parameter halt this JVM
   * ({@code KILN_WORKER_FAULT_INJECTION}), for fault-injection tests of crash recovery and poison
   * messages.
   *
   * <p><b>Must stay off in production:</b> with it on, any client that can submit a synthetic job
   * can kill workers at will. While it is off, such jobs fail with {@code
   * FAULT_INJECTION_DISABLED}.
   */
  @WithDefault("false")
  boolean faultInjection();
}
