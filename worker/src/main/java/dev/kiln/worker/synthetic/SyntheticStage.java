package dev.kiln.worker.synthetic;

import dev.kiln.worker.pipeline.Stage;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.pipeline.StageFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * One synthetic stage: optional injected crash or failure, optional artifact, timed progress ticks,
 * then its kept output {@code stage-N.out}. The last stage reads its predecessor's output first, so
 * a resumed run really depends on what an earlier run kept.
 */
final class SyntheticStage implements Stage {

  private static final Logger LOG = Logger.getLogger(SyntheticStage.class);
  static final String ARTIFACT_NAME = "synthetic.bin";
  static final String ARTIFACT_TYPE = "application/octet-stream";
  static final String FAULT_INJECTION_DISABLED = "FAULT_INJECTION_DISABLED";
  // why: progress (and so cancellation) is checked at least this often
  static final long MAX_TICK_MILLIS = 100;

  private final int number;
  private final boolean last;
  private final SyntheticParams params;
  private final boolean faultInjection;
  private final Runnable halt;

  SyntheticStage(
      int number, boolean last, SyntheticParams params, boolean faultInjection, Runnable halt) {
    this.number = number;
    this.last = last;
    this.params = params;
    this.faultInjection = faultInjection;
    this.halt = halt;
  }

  @Override
  public String name() {
    return "stage-" + number;
  }

  @Override
  public void run(StageContext ctx) throws StageFailure, InterruptedException, IOException {
    injectCrash(ctx);
    if (params.failAtStage() == number && params.failsOn(ctx.job().attempt())) {
      throw new StageFailure(
          params.failCode(), "injected failure at stage " + number, params.failRetryable());
    }
    if (last && number > 1) {
      checkPredecessorOutput(ctx);
    }
    if (last && params.artifactBytes() > 0) {
      // why: written before the ticks, so a cancellation during this stage has an artifact to
      // clean up, which is what the cancel path must prove
      long size = params.artifactBytes();
      ctx.writeArtifact(ARTIFACT_NAME, ARTIFACT_TYPE, () -> new SyntheticBytes(size), size);
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
    ctx.writeStageOutput(
        SyntheticOutput.name(number),
        new ByteArrayInputStream(SyntheticOutput.of(ctx.job().jobId(), name())));
  }

  private void injectCrash(StageContext ctx) throws StageFailure {
    if (params.crashWorkerAtStage() <= 0) {
      return;
    }
    if (!faultInjection) {
      throw new StageFailure(
          FAULT_INJECTION_DISABLED,
          "crashWorkerAtStage needs a worker with fault injection enabled",
          false);
    }
    if (params.crashWorkerAtStage() == number) {
      LOG.warnf(
          "fault injection: halting the worker at the start of %s of job %s attempt %d",
          name(), ctx.job().jobId(), ctx.job().attempt());
      halt.run();
    }
  }

  private void checkPredecessorOutput(StageContext ctx) throws StageFailure, IOException {
    String previous = "stage-" + (number - 1);
    byte[] expected = SyntheticOutput.of(ctx.job().jobId(), previous);
    byte[] actual;
    try (InputStream in = ctx.openStageOutput(previous, SyntheticOutput.name(number - 1))) {
      actual = in.readNBytes(SyntheticOutput.SIZE + 1);
    }
    if (!Arrays.equals(expected, actual)) {
      throw new StageFailure(
          "SYNTHETIC_OUTPUT_MISMATCH", "the output of " + previous + " is not what it wrote", true);
    }
  }
}
