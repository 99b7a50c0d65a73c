package dev.kiln.worker.reconstruction.pipeline;

import dev.kiln.worker.pipeline.Stage;
import dev.kiln.worker.pipeline.StageContext;

/** One stage of a relief run: a named view on the run's shared {@link ReliefRun}. */
final class ReliefStage implements Stage {

  private final Step step;
  private final ReliefRun run;

  ReliefStage(Step step, ReliefRun run) {
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
