package dev.kiln.worker.reconstruction.pipeline;

import dev.kiln.worker.pipeline.Stage;
import dev.kiln.worker.pipeline.StageContext;

/** One stage of a reconstruction run: a named view on the run's shared {@link ModelRun}. */
final class ModelStage implements Stage {

  private final Step step;
  private final ModelRun run;

  ModelStage(Step step, ModelRun run) {
    this.step = step;
    this.run = run;
  }

  @Override
  public String name() {
    return step.stageName();
  }

  @Override
  public void run(StageContext ctx) throws Exception {
    run.run(step, ctx);
  }
}
