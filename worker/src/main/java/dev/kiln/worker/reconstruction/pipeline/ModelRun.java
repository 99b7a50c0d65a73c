package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.mesh.QuadricDecimator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * State of one run of a reconstruction job, shared by its stages. Intermediate results live in
 * memory: they are cheap to recompute compared with storing them. So when a run resumes after a
 * checkpoint and the runner skips stages that completed earlier, the first stage that needs their
 * results runs them again itself ({@link #run} fills in any missing earlier step).
 */
final class ModelRun {

  private final JsonNode rawParams;
  private final Set<Step> done = EnumSet.noneOf(Step.class);
  final Map<String, Long> stageMillis = new LinkedHashMap<>();

  ReconstructionParams params;
  ModeSteps mode;
  Mesh rawMesh;
  QuadricDecimator.Result simplified;
  ModeSteps.Textured textured;
  ModelExport.Written files;

  ModelRun(JsonNode rawParams) {
    this.rawParams = rawParams;
  }

  void run(Step step, StageContext ctx) throws Exception {
    for (Step earlier : Step.values()) {
      if (earlier.ordinal() < step.ordinal() && !done.contains(earlier)) {
        // why: a resumed run skipped it; its results are needed, its progress is not
        execute(earlier, ctx, silent(ctx));
      }
    }
    execute(step, ctx, ctx::progress);
  }

  private void execute(Step step, StageContext ctx, Progress progress) throws Exception {
    long start = System.nanoTime();
    progress.report(0, "starting");
    switch (step) {
      case FETCH_INPUTS -> {
        params = ReconstructionParams.from(rawParams);
        mode = Modes.of(params, rawParams);
        mode.fetch(ctx, progress);
      }
      case PREPROCESS -> mode.preprocess(ctx, progress);
      case RECONSTRUCT -> mode.reconstruct(progress);
      case MESH_GENERATION -> rawMesh = mode.generateMesh(progress);
      case SIMPLIFICATION -> simplify(progress);
      case TEXTURING -> textured = mode.texture(simplified.mesh(), progress);
      case EXPORT -> files = ModelExport.write(this, ctx.workDir(), progress);
      case UPLOAD -> ModelExport.upload(this, ctx, progress, start);
    }
    progress.report(100, "done");
    stageMillis.put(step.stageName(), (System.nanoTime() - start) / 1_000_000);
    done.add(step);
  }

  private void simplify(Progress progress) {
    // why: the decimator reports the share of collapses done; every report is also the point
    // where a cancelled job stops (progress throws)
    simplified =
        new QuadricDecimator(
                params.faceLimit(),
                share -> progress.report((int) Math.floor(share * 100), "collapsing edges"))
            .decimate(rawMesh);
  }

  /** Progress of one step; lets a re-run step stay quiet but still stop a cancelled job. */
  @FunctionalInterface
  interface Progress {
    void report(int percent, String message);

    /** A share from 0 to 1 as a whole percentage, for geometry code that counts in shares. */
    default java.util.function.DoubleConsumer share(String message) {
      return share -> report((int) Math.floor(Math.min(1, Math.max(0, share)) * 100), message);
    }
  }

  private static Progress silent(StageContext ctx) {
    return (percent, message) -> ctx.checkCancelled();
  }
}
