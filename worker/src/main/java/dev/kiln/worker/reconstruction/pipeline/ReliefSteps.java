package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.messages.InputRef;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.reconstruction.export.Png;
import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.relief.HeightField;
import dev.kiln.worker.reconstruction.relief.ReliefBuilder;
import dev.kiln.worker.reconstruction.relief.ReliefParams;
import java.io.InputStream;

/** Mode {@code relief}: one image's luminance becomes the height of a closed bas-relief solid. */
final class ReliefSteps implements ModeSteps {

  private final ReconstructionParams params;
  private final ReliefParams relief;
  private InputRef input;
  private byte[] inputBytes;
  private ImagePreparation.Prepared image;
  private HeightField field;

  ReliefSteps(ReconstructionParams params) {
    this.params = params;
    this.relief = params.relief();
  }

  @Override
  public void fetch(StageContext ctx, ModelRun.Progress progress) throws Exception {
    if (ctx.job().inputs() == null || ctx.job().inputs().size() != 1) {
      throw ModeSteps.invalidInputs("relief needs exactly one image input");
    }
    input = ctx.job().inputs().getFirst();
    try (InputStream in = ctx.openInput(input)) {
      inputBytes = in.readAllBytes();
    }
  }

  @Override
  public void preprocess(StageContext ctx, ModelRun.Progress progress) throws Exception {
    image = ImagePreparation.prepare(inputBytes, params.quality().maxSidePx);
  }

  @Override
  public void reconstruct(ModelRun.Progress progress) {
    field =
        HeightField.fromImage(
            image.grid(), relief.invert(), relief.smoothingRadius(), relief.smoothing());
  }

  @Override
  public Mesh generateMesh(ModelRun.Progress progress) {
    return ReliefBuilder.build(field, image.grid(), relief);
  }

  @Override
  public Textured texture(Mesh simplified, ModelRun.Progress progress) throws Exception {
    // why: the relief's uvs were laid out over the grid image when the mesh was built, and
    // decimation carries them along
    return new Textured(simplified, Png.encode(image.grid()));
  }

  @Override
  public Mesh pointCloud(Mesh simplified) {
    return simplified;
  }

  @Override
  public void describe(ObjectNode metadata) {
    ObjectNode in = metadata.putArray("inputs").addObject();
    in.put("name", input.name());
    in.put("bytes", inputBytes.length);
    in.put("format", image.format());
    in.put("width", image.inputWidth());
    in.put("height", image.inputHeight());
    ObjectNode grid = metadata.putObject("grid");
    grid.put("width", image.grid().getWidth());
    grid.put("height", image.grid().getHeight());
  }
}
