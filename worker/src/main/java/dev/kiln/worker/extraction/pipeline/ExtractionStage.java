package dev.kiln.worker.extraction.pipeline;

import dev.kiln.worker.pipeline.Stage;
import dev.kiln.worker.pipeline.StageContext;

/** One stage of an extraction run: a named view on the run's shared {@link ExtractionRun}. */
final class ExtractionStage implements Stage {

  private final Step step;
  private final ExtractionRun run;

  ExtractionStage(Step step, ExtractionRun run) {
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
