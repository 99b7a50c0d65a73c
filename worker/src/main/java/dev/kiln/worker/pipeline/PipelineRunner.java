package dev.kiln.worker.pipeline;

import dev.kiln.model.events.EventPayload;
import dev.kiln.worker.storage.ObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs a pipeline's stages and turns what happens into job events, exactly one of them terminal. It
 * knows nothing about the broker, so every event sequence is unit-testable.
 */
public final class PipelineRunner {

  private static final Logger LOG = Logger.getLogger(PipelineRunner.class);

  private final ObjectStore store;
  private final Duration progressInterval;
  private final RunObserver observer;

  public PipelineRunner(ObjectStore store, Duration progressInterval, RunObserver observer) {
    this.store = store;
    this.progressInterval = progressInterval;
    this.observer = observer;
  }

  public RunOutcome run(RunRequest request, JobPipeline pipeline, EventSink sink) {
    String type = request.job().type();
    long started = System.nanoTime();
    try (RunContext ctx = new RunContext(request, store, sink, progressInterval)) {
      List<Stage> stages;
      List<String> names;
      try {
        stages = List.copyOf(pipeline.stages(request.job()));
        names = stageNames(stages);
      } catch (RuntimeException e) {
        LOG.errorf(e, "job %s: pipeline %s could not plan its stages", request.job().jobId(), type);
        ctx.emit(
            new EventPayload.JobFailed(
                "INTERNAL_ERROR",
                "the job could not be planned (details in worker log)",
                true,
                null));
        return RunOutcome.FAILED;
      }
      ctx.emit(new EventPayload.JobStarted(type, names, request.freeSlots()));
      try {
        for (int i = 0; i < stages.size(); i++) {
          runStage(ctx, type, stages.get(i), names.get(i), i);
        }
      } catch (JobCancelledException e) {
        return cancelled(ctx);
      } catch (StageFailure f) {
        if (ctx.cancelRequested()) {
          return cancelled(ctx);
        }
        LOG.infof(
            "job %s failed in stage %s: %s %s",
            request.job().jobId(), ctx.currentStage(), f.code(), f.getMessage());
        ctx.emit(
            new EventPayload.JobFailed(
                f.code(), f.getMessage(), f.retryable(), ctx.currentStage()));
        return RunOutcome.FAILED;
      } catch (Exception | StackOverflowError e) {
        if (ctx.cancelRequested()) {
          // why: a stage interrupted by cancellation often fails with whatever its I/O threw
          return cancelled(ctx);
        }
        LOG.errorf(
            e, "job %s: unexpected error in stage %s", request.job().jobId(), ctx.currentStage());
        // why: exception messages can carry paths, hosts or credentials; clients get the class only
        String message =
            "unexpected "
                + e.getClass().getSimpleName()
                + " in stage "
                + ctx.currentStage()
                + " (details in worker log)";
        ctx.emit(new EventPayload.JobFailed("INTERNAL_ERROR", message, true, ctx.currentStage()));
        return RunOutcome.FAILED;
      }
      ctx.emit(new EventPayload.JobSucceeded(millisSince(started)));
      return RunOutcome.SUCCEEDED;
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

  private void runStage(RunContext ctx, String type, Stage stage, String name, int index)
      throws Exception {
    ctx.beginStage(name, index);
    ctx.checkCancelled();
    ctx.emit(new EventPayload.StageStarted(name, index));
    long t0 = System.nanoTime();
    stage.run(ctx);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    observer.stageCompleted(type, name, took);
    ctx.emit(new EventPayload.StageCompleted(name, index, took.toMillis()));
  }

  private static RunOutcome cancelled(RunContext ctx) {
    ctx.deleteWrittenArtifacts();
    ctx.emit(new EventPayload.JobCancelled("requested", ctx.currentStage()));
    return RunOutcome.CANCELLED;
  }

  private static long millisSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }
}
