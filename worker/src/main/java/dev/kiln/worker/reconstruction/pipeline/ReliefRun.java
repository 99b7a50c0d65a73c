package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.model.messages.InputRef;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.pipeline.StageFailure;
import dev.kiln.worker.reconstruction.export.Png;
import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.mesh.QuadricDecimator;
import dev.kiln.worker.reconstruction.relief.HeightField;
import dev.kiln.worker.reconstruction.relief.ReliefBuilder;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * State of one run of a relief job, shared by its stages. Intermediate results live in memory: they
 * are cheap to recompute compared with storing them. So when a run resumes after a checkpoint and
 * the runner skips stages that completed earlier, the first stage that needs their results runs
 * them again itself ({@link #run} fills in any missing earlier step).
 */
final class ReliefRun {

  private final JsonNode rawParams;
  private final Set<Step> done = EnumSet.noneOf(Step.class);
  final Map<String, Long> stageMillis = new LinkedHashMap<>();

  ReconstructionParams params;
  InputRef input;
  byte[] inputBytes;
  ImagePreparation.Prepared image;
  HeightField field;
  Mesh rawMesh;
  QuadricDecimator.Result simplified;
  byte[] texturePng;
  ReliefExport.Written files;

  ReliefRun(JsonNode rawParams) {
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
      case FETCH_INPUTS -> fetch(ctx);
      case PREPROCESS -> image = ImagePreparation.prepare(inputBytes, params.quality().maxSidePx);
      case RECONSTRUCT ->
          field =
              HeightField.fromImage(
                  image.grid(),
                  params.relief().invert(),
                  params.relief().smoothingRadius(),
                  params.relief().smoothing());
      case MESH_GENERATION -> rawMesh = ReliefBuilder.build(field, image.grid(), params.relief());
      case SIMPLIFICATION -> simplify(progress);
      case TEXTURING -> texturePng = Png.encode(image.grid());
      case EXPORT -> files = ReliefExport.write(this, ctx.workDir(), progress);
      case UPLOAD -> ReliefExport.upload(this, ctx, progress, start);
    }
    progress.report(100, "done");
    stageMillis.put(step.stageName(), (System.nanoTime() - start) / 1_000_000);
    done.add(step);
  }

  private void fetch(StageContext ctx) throws Exception {
    params = ReconstructionParams.from(rawParams);
    if (ctx.job().inputs() == null || ctx.job().inputs().size() != 1) {
      throw new StageFailure(
          ReconstructionParams.INVALID_PARAMS, "relief needs exactly one image input", false);
    }
    input = ctx.job().inputs().getFirst();
    try (InputStream in = ctx.openInput(input)) {
      inputBytes = in.readAllBytes();
    }
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
  }

  private static Progress silent(StageContext ctx) {
    return (percent, message) -> ctx.checkCancelled();
  }

  BufferedImage grid() {
    return image.grid();
  }
}
