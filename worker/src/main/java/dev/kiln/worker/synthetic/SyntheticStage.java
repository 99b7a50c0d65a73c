package dev.kiln.worker.synthetic;

import dev.kiln.worker.pipeline.Stage;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.pipeline.StageFailure;

/** One synthetic stage: optional injected failure, optional artifact, then timed progress ticks. */
final class SyntheticStage implements Stage {

  static final String ARTIFACT_NAME = "synthetic.bin";
  static final String ARTIFACT_TYPE = "application/octet-stream";
  // why: progress (and so cancellation) is checked at least this often
  static final long MAX_TICK_MILLIS = 100;

  private final int number;
  private final boolean last;
  private final SyntheticParams params;

  SyntheticStage(int number, boolean last, SyntheticParams params) {
    this.number = number;
    this.last = last;
    this.params = params;
  }

  @Override
  public String name() {
    return "stage-" + number;
  }

  @Override
  public void run(StageContext ctx) throws StageFailure, InterruptedException {
    if (params.failAtStage() == number) {
      throw new StageFailure(
          params.failCode(), "injected failure at stage " + number, params.failRetryable());
    }
    if (last && params.artifactBytes() > 0) {
      // why: written before the ticks, so a cancellation during this stage has an artifact to
      // clean up, which is what the cancel path must prove
      ctx.writeArtifact(
          ARTIFACT_NAME,
          ARTIFACT_TYPE,
          new SyntheticBytes(params.artifactBytes()),
          params.artifactBytes());
    }
    long total = Math.max(0, params.stageMillis());
    int ticks = (int) Math.max(1, (total + MAX_TICK_MILLIS - 1) / MAX_TICK_MILLIS);
    for (int k = 1; k <= ticks; k++) {
      // why: spread the remainder so the ticks add up to exactly stageMillis
      long sleep = total * k / ticks - total * (k - 1) / ticks;
      if (sleep > 0) {
        Thread.sleep(sleep);
      }
      ctx.progress(k * 100 / ticks, "tick " + k + " of " + ticks);
    }
  }
}
