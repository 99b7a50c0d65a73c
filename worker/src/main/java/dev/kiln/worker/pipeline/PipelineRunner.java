package dev.kiln.worker.pipeline;

import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.JobMessage;
import dev.kiln.outbound.UrlFetcher;
import dev.kiln.worker.storage.ObjectStore;
import dev.kiln.worker.storage.RetryingStore;
import dev.kiln.worker.storage.StorageUnavailableException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.jboss.logging.Logger;

/**
 * Runs one delivery of a job attempt and turns what happens into job events. It knows nothing about
 * the broker (retries go through a {@link RetryScheduler}), so every event sequence is
 * unit-testable.
 *
 * <p>A run:
 *
 * <ol>
 *   <li>reads what earlier runs of the attempt left in {@code work/{jobId}/{attempt}/}: {@code
 *       done.json} (the attempt already ended: nothing to do, no event), {@code ending.json} (an
 *       ending was prepared but maybe not published: finish it, same event id) or {@code
 *       checkpoint.json} (skip the stages it lists);
 *   <li>emits {@code job.started} (with {@code resumedAfter} when it skips stages) and runs the
 *       remaining stages, writing the checkpoint after each one, under the attempt's timeout;
 *   <li>ends with exactly one of {@code job.succeeded}, {@code job.failed}, {@code job.cancelled}
 *       or {@code job.retrying} (after publishing the next attempt to a delay queue), recorded in
 *       {@code ending.json} before it is emitted, or stops silently when abandoned.
 * </ol>
 *
 * Once the run's events are confirmed, {@link #complete} marks the attempt done.
 */
public final class PipelineRunner {

  private static final Logger LOG = Logger.getLogger(PipelineRunner.class);
  static final String JOB_TIMEOUT = "JOB_TIMEOUT";
  static final String INTERNAL_ERROR = "INTERNAL_ERROR";
  static final String POISON_MESSAGE = "POISON_MESSAGE";

  /**
   * why two: the first crashed run of a redelivery may have died with a neighbour that was the real
   * culprit, so the next run goes alone ({@link #crashedRuns}); a message whose runs died twice,
   * the second time alone, is taken to be what kills workers.
   */
  static final int POISON_CRASHED_RUNS = 2;

  // why: one timer thread for every run's timeout; firing only flags the run and starts a virtual
  // thread, so a slow run cannot delay another's timeout
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("kiln-job-timeouts").daemon().factory());

  private final RetryingStore store;
  private final Duration progressInterval;
  private final RunObserver observer;
  private final RetryScheduler retries;
  private final DoubleSupplier random;
  private final UrlFetcher fetcher;

  private static final Tracer NO_TRACING = OpenTelemetry.noop().getTracer("kiln-worker");

  private final Tracer tracer;

  /**
   * A runner whose store calls use the default retries, which cannot schedule retries and which
   * refuses URL inputs without touching the network.
   */
  public PipelineRunner(ObjectStore store, Duration progressInterval, RunObserver observer) {
    this(
        new RetryingStore(
            store, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30)),
        progressInterval,
        observer,
        RetryScheduler.NONE,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /** A runner that refuses URL inputs without touching the network. */
  public PipelineRunner(
      RetryingStore store,
      Duration progressInterval,
      RunObserver observer,
      RetryScheduler retries,
      DoubleSupplier random) {
    this(store, progressInterval, observer, retries, random, UrlFetcher.DISABLED);
  }

  /**
   * @param random jitter for retry delays, in [0, 1)
   * @param fetcher opens URL inputs for {@link StageContext#openInput}
   */
  public PipelineRunner(
      RetryingStore store,
      Duration progressInterval,
      RunObserver observer,
      RetryScheduler retries,
      DoubleSupplier random,
      UrlFetcher fetcher) {
    this(store, progressInterval, observer, retries, random, fetcher, NO_TRACING);
  }

  /**
   * @param tracer records a span per stage, a child of the span current when {@link #run} is called
   */
  public PipelineRunner(
      RetryingStore store,
      Duration progressInterval,
      RunObserver observer,
      RetryScheduler retries,
      DoubleSupplier random,
      UrlFetcher fetcher,
      Tracer tracer) {
    this.tracer = tracer;
    this.fetcher = fetcher;
    this.store = store;
    this.progressInterval = progressInterval;
    this.observer = observer;
    this.retries = retries;
    this.random = random;
  }

  public RunResult run(RunRequest request, JobPipeline pipeline, EventSink sink) {
    JobMessage job = request.job();
    AttemptFiles files = new AttemptFiles(store, job.jobId(), job.attempt());
    RunResult result = run(request, files, pipeline, sink);
    if (result.disposition() == Disposition.REQUEUE) {
      // why: an orderly stop (shutdown, lost channel) is no crash; only a dead worker leaves it
      files.forgetRun(request.run());
    }
    return result;
  }

  /**
   * How many runs of redeliveries of the job died with their worker; 0 when that cannot be read. A
   * worker runs a job with any alone, so a crash it causes takes no other job down with it.
   */
  public int crashedRuns(JobMessage job) {
    try {
      return AttemptFiles.crashedRuns(store, job.jobId());
    } catch (IOException e) {
      return 0;
    }
  }

  private RunResult run(
      RunRequest request, AttemptFiles files, JobPipeline pipeline, EventSink sink) {
    JobMessage job = request.job();
    String type = job.type();
    long started = System.nanoTime();
    try (RunContext ctx = new RunContext(request, store, files, sink, progressInterval, fetcher)) {
      Plan plan = plan(pipeline, job);
      if (plan.stateless() && !request.redelivered()) {
        // why: a pipeline without stages keeps no state, so its first delivery has nothing to
        // resume and a success leaves nothing to protect; skipping the work area saves the four
        // object-store calls (list, ending, done marker, clean-up) that would otherwise dominate
        // a job that does no work. A duplicate of it runs again, and the gateway drops its
        // ending because the attempt already ended.
        files.skipRecordsOfSuccess();
      }
      AttemptFiles.State state;
      try {
        state =
            files.recordsSkipped() ? AttemptFiles.State.NOTHING : files.load(request.redelivered());
      } catch (IOException e) {
        LOG.warnf(
            "job %s attempt %d: cannot read its checkpoint: %s", job.jobId(), job.attempt(), e);
        if (ctx.cancelRequested()) {
          return endCancelled(ctx, files);
        }
        return fail(
            ctx,
            files,
            RunContext.STORAGE_UNAVAILABLE,
            "the job's checkpoint could not be read: the object store is unavailable",
            true,
            null);
      }
      if (state.done() != null) {
        // why the same disposition: a dead letter whose reject was lost (its channel closed)
        // must still reach the dead letters, not be acked away by the duplicate
        LOG.infof(
            "job %s attempt %d already ended or was replaced; settling the delivery (%s)",
            job.jobId(), job.attempt(), state.done());
        return new RunResult(RunOutcome.DUPLICATE, state.done(), files);
      }
      if (state.ending().isPresent() && belongsTo(state.ending().get(), job)) {
        AttemptEnding ending = state.ending().get();
        LOG.infof(
            "job %s attempt %d: finishing the ending (%s) an earlier run prepared",
            job.jobId(), job.attempt(), ending.outcome().label());
        return finish(ctx, files, ending);
      }
      if (ctx.cancelRequested()) {
        return endCancelled(ctx, files);
      }
      if (ctx.abandoned()) {
        return RunResult.abandoned();
      }
      if (request.redelivered()) {
        if (state.crashedRuns() >= POISON_CRASHED_RUNS) {
          return poison(ctx, files, state.crashedRuns());
        }
        files.recordRun(request.run(), request.workerId());
      }
      if (plan.failure() != null) {
        LOG.errorf(
            plan.failure(), "job %s: pipeline %s could not plan its stages", job.jobId(), type);
        return fail(
            ctx,
            files,
            INTERNAL_ERROR,
            "the job could not be planned (details in worker log)",
            true,
            null);
      }
      List<Stage> stages = plan.stages();
      List<String> names = plan.names();
      Checkpoint resumed = state.checkpoint().orElse(null);
      if (resumed != null && !resumed.fits(names)) {
        LOG.warnf(
            "job %s attempt %d: checkpoint %s does not match stages %s; starting over",
            job.jobId(), job.attempt(), resumed.completed(), names);
        resumed = null;
      }
      if (resumed != null && !resumed.completed().isEmpty()) {
        ctx.resumeFrom(resumed);
        LOG.infof(
            "job %s attempt %d: resuming after stage %s",
            job.jobId(), job.attempt(), resumed.lastStage());
      }
      Checkpoint from = ctx.checkpoint();
      ctx.emit(new EventPayload.JobStarted(type, names, request.freeSlots(), from.lastStage()));
      for (ArtifactRef a : from.artifacts()) {
        // why: the run that wrote them may have died before its events were published
        ctx.emit(
            new EventPayload.ArtifactCreated(
                a.name(), a.objectKey(), a.size(), a.contentType(), a.sha256()));
      }
      ScheduledFuture<?> timeout = armTimeout(ctx, job.effectivePolicy());
      try {
        for (int i = from.completed().size(); i < stages.size(); i++) {
          runStage(ctx, type, stages.get(i), names.get(i), i);
        }
      } catch (Exception | Error e) {
        return stopped(ctx, files, e);
      } finally {
        timeout.cancel(false);
      }
      long millis = Duration.ofNanos(System.nanoTime() - started).toMillis() + from.totalMillis();
      return end(
          ctx,
          files,
          RunOutcome.SUCCEEDED,
          Disposition.ACK,
          new EventPayload.JobSucceeded(millis),
          null,
          null);
    }
  }

  /**
   * After the run's events are confirmed and before its message is settled: marks the attempt done
   * and removes its checkpoint, stage outputs and pending ending. Does nothing for abandoned runs.
   */
  public void complete(RunResult result) {
    AttemptFiles files = result.files;
    if (files == null) {
      return;
    }
    if (result.outcome() == RunOutcome.DUPLICATE) {
      if (files.hasLeftovers()) {
        files.cleanup();
      }
      return;
    }
    if (result.outcome() == RunOutcome.SUCCEEDED && files.recordsSkipped()) {
      return;
    }
    if (files.markDone(result.outcome(), result.disposition())) {
      files.cleanup();
    }
  }

  private static boolean belongsTo(AttemptEnding ending, JobMessage job) {
    return ending.event() != null
        && job.jobId().equals(ending.event().jobId())
        && job.attempt() == ending.event().attempt()
        && ending.outcome() != null
        && ending.disposition() != null;
  }

  /**
   * The stages of a run and their names, or why they could not be had.
   *
   * @param failure what the pipeline threw, or null
   */
  private record Plan(List<Stage> stages, List<String> names, RuntimeException failure) {

    boolean stateless() {
      return failure == null && stages.isEmpty();
    }
  }

  private static Plan plan(JobPipeline pipeline, JobMessage job) {
    try {
      List<Stage> stages = List.copyOf(pipeline.stages(job));
      return new Plan(stages, stageNames(stages), null);
    } catch (RuntimeException e) {
      return new Plan(List.of(), List.of(), e);
    }
  }

  /** The stage names, asked once: a name that cannot be had is a pipeline that cannot plan. */
  private static List<String> stageNames(List<Stage> stages) {
    List<String> names = new ArrayList<>(stages.size());
    for (Stage stage : stages) {
      String name = stage.name();
      if (name == null || name.isBlank()) {
        throw new IllegalStateException("stage " + stage.getClass().getName() + " has no name");
      }
      names.add(name);
    }
    return names;
  }

  private ScheduledFuture<?> armTimeout(RunContext ctx, ExecutionPolicy policy) {
    return TIMER.schedule(
        () -> Thread.ofVirtual().name("kiln-timeout-" + ctx.job().jobId()).start(ctx::timeOut),
        policy.timeoutMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void runStage(RunContext ctx, String type, Stage stage, String name, int index)
      throws Exception {
    Span span =
        tracer
            .spanBuilder("stage " + name)
            .setAttribute("kiln.job.id", ctx.job().jobId().toString())
            .setAttribute("kiln.stage.index", index)
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      runStageTraced(ctx, type, stage, name, index);
    } catch (Exception | Error e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  private void runStageTraced(RunContext ctx, String type, Stage stage, String name, int index)
      throws Exception {
    ctx.beginStage(name, index);
    ctx.checkCancelled();
    ctx.emit(new EventPayload.StageStarted(name, index));
    long t0 = System.nanoTime();
    ctx.enterStage();
    try {
      stage.run(ctx);
    } finally {
      ctx.leaveStage();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    // why: before stage.completed, so a stage reported completed is one a later run skips
    ctx.completeStage(name, took);
    observer.stageCompleted(type, name, took);
    ctx.emit(new EventPayload.StageCompleted(name, index, took.toMillis()));
  }

  /** The stages stopped early: decide how the attempt ends. */
  private RunResult stopped(RunContext ctx, AttemptFiles files, Throwable e) {
    JobMessage job = ctx.job();
    if (e instanceof VirtualMachineError vme && !(e instanceof StackOverflowError)) {
      throw vme;
    }
    RunContext.Stop stop = ctx.stopReason();
    if (stop == RunContext.Stop.ABANDONED) {
      LOG.infof(
          "job %s attempt %d: run abandoned in stage %s; its checkpoint stays for the next run",
          job.jobId(), job.attempt(), ctx.currentStage());
      return RunResult.abandoned();
    }
    if (stop == RunContext.Stop.CANCELLED) {
      // why: a stage interrupted by cancellation often fails with whatever its I/O threw
      return endCancelled(ctx, files);
    }
    if (stop == RunContext.Stop.TIMEOUT) {
      long limit = job.effectivePolicy().timeoutMillis();
      LOG.infof(
          "job %s attempt %d timed out after %d ms in stage %s",
          job.jobId(), job.attempt(), limit, ctx.currentStage());
      observer.timedOut(job.type());
      return fail(
          ctx,
          files,
          JOB_TIMEOUT,
          "the attempt ran longer than its timeout of " + limit + " ms",
          true,
          ctx.currentStage());
    }
    if (e instanceof JobCancelledException) {
      return endCancelled(ctx, files);
    }
    if (e instanceof StageFailure f) {
      LOG.infof(
          "job %s failed in stage %s: %s %s",
          job.jobId(), ctx.currentStage(), f.code(), f.getMessage());
      return fail(ctx, files, f.code(), f.getMessage(), f.retryable(), ctx.currentStage());
    }
    if (RunContext.hasCause(e, StorageUnavailableException.class)) {
      LOG.warnf(e, "job %s: object store unavailable in stage %s", job.jobId(), ctx.currentStage());
      return fail(
          ctx,
          files,
          RunContext.STORAGE_UNAVAILABLE,
          "the object store is unavailable in stage " + ctx.currentStage(),
          true,
          ctx.currentStage());
    }
    LOG.errorf(e, "job %s: unexpected error in stage %s", job.jobId(), ctx.currentStage());
    // why: exception messages can carry paths, hosts or credentials; clients get the class only
    String message =
        "unexpected "
            + e.getClass().getSimpleName()
            + " in stage "
            + ctx.currentStage()
            + " (details in worker log)";
    return fail(ctx, files, INTERNAL_ERROR, message, true, ctx.currentStage());
  }

  /**
   * A failed attempt: retried when retryable and the policy allows another attempt, else failed for
   * good (dead-lettered when it was retryable, so an operator can run it again).
   */
  private RunResult fail(
      RunContext ctx,
      AttemptFiles files,
      String code,
      String message,
      boolean retryable,
      String stage) {
    JobMessage job = ctx.job();
    ExecutionPolicy policy = job.effectivePolicy();
    if (retryable && policy.allowsRetryAfter(job.attempt())) {
      int next = job.attempt() + 1;
      long delay = policy.retryDelayMillis(next, random.getAsDouble());
      Instant nextRunAt = Instant.now().plusMillis(Topology.retryStep(delay));
      return end(
          ctx,
          files,
          RunOutcome.RETRYING,
          Disposition.ACK,
          new EventPayload.JobRetrying(next, nextRunAt, code, message, stage),
          next,
          delay);
    }
    return end(
        ctx,
        files,
        RunOutcome.FAILED,
        retryable ? Disposition.DEAD_LETTER : Disposition.ACK,
        new EventPayload.JobFailed(code, message, retryable, stage),
        null,
        null);
  }

  /**
   * The attempt's runs keep dying with their workers: it fails for good, and its message goes to
   * the dead letters, where an operator can look at it and requeue it once the cause is fixed.
   */
  private RunResult poison(RunContext ctx, AttemptFiles files, int crashedRuns) {
    JobMessage job = ctx.job();
    LOG.errorf(
        "job %s attempt %d: %d redelivered runs of the job died with their workers; dead-lettering",
        job.jobId(), job.attempt(), crashedRuns);
    String message =
        "the worker process died under "
            + crashedRuns
            + " redelivered runs of this job, the last one running alone; the job message is set"
            + " aside in the dead letters so it stops taking workers down";
    return end(
        ctx,
        files,
        RunOutcome.FAILED,
        Disposition.DEAD_LETTER,
        new EventPayload.JobFailed(POISON_MESSAGE, message, false, null),
        null,
        null);
  }

  private RunResult endCancelled(RunContext ctx, AttemptFiles files) {
    return end(
        ctx,
        files,
        RunOutcome.CANCELLED,
        Disposition.ACK,
        new EventPayload.JobCancelled("requested", ctx.currentStage()),
        null,
        null);
  }

  /** Prepares the attempt's last event, records it as the pending ending, then finishes it. */
  private RunResult end(
      RunContext ctx,
      AttemptFiles files,
      RunOutcome outcome,
      Disposition disposition,
      EventPayload payload,
      Integer nextAttempt,
      Long retryDelayMillis) {
    if (ctx.abandoned()) {
      return RunResult.abandoned();
    }
    JobEvent event = ctx.prepare(payload);
    AttemptEnding ending =
        new AttemptEnding(
            AttemptEnding.VERSION, outcome, disposition, event, nextAttempt, retryDelayMillis);
    if (outcome != RunOutcome.SUCCEEDED || !files.recordsSkipped()) {
      files.writeEnding(ending);
    }
    return finish(ctx, files, ending);
  }

  /**
   * Carries out an ending: schedules the retry, removes a cancelled job's objects, then emits the
   * ending's event. Safe to repeat: a run that finds the ending pending calls it again.
   */
  private RunResult finish(RunContext ctx, AttemptFiles files, AttemptEnding ending) {
    JobMessage job = ctx.job();
    if (ending.schedulesRetry()) {
      try {
        retries.schedule(job.withAttempt(ending.nextAttempt()), ending.retryDelayMillis());
      } catch (IOException | RuntimeException e) {
        // why: job.retrying must never be seen for a retry that does not exist; the message goes
        // back, and the next run finds the pending ending and tries again
        LOG.errorf(
            "job %s attempt %d: could not schedule attempt %d, returning the message: %s",
            job.jobId(), job.attempt(), ending.nextAttempt(), e.toString());
        return RunResult.abandoned();
      }
      observer.retryScheduled(job.type());
    }
    if (ending.outcome() == RunOutcome.CANCELLED) {
      files.deleteArtifacts(
          ArtifactNames.prefix(job.jobId()), new java.util.HashSet<>(ctx.writtenArtifacts()));
    }
    ctx.emitPrepared(ending.event());
    return new RunResult(ending.outcome(), ending.disposition(), files);
  }
}
