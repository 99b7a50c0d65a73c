package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.messages.InputRef;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.pipeline.StageFailure;
import dev.kiln.worker.reconstruction.depth.DepthInputException;
import dev.kiln.worker.reconstruction.depth.DepthMap;
import dev.kiln.worker.reconstruction.depth.DepthParams;
import dev.kiln.worker.reconstruction.depth.DepthReconstruction;
import dev.kiln.worker.reconstruction.depth.Intrinsics;
import dev.kiln.worker.reconstruction.export.Png;
import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * Mode {@code depth}: a colour image and its depth map become a coloured point cloud and a mesh
 * that stays open where the depth jumps.
 */
final class DepthSteps implements ModeSteps {

  static final String INVALID_DEPTH_MAP = "INVALID_DEPTH_MAP";
  static final String NO_SURFACE = "NO_SURFACE";

  private final ReconstructionParams params;
  private final JsonNode raw;
  private DepthParams depthParams;
  private InputRef colourInput;
  private InputRef depthInput;
  private byte[] colourBytes;
  private byte[] depthBytes;
  private ImagePreparation.Prepared colour;
  private DepthMap depth;
  private Intrinsics intrinsics;
  private DepthReconstruction.Result result;

  DepthSteps(ReconstructionParams params, JsonNode raw) {
    this.params = params;
    this.raw = raw;
  }

  @Override
  public void fetch(StageContext ctx, ModelRun.Progress progress) throws Exception {
    try {
      depthParams =
          new DepthParams(
              number("near_mm"),
              number("far_mm"),
              number("fx"),
              number("fy"),
              number("cx"),
              number("cy"),
              raw.path("fov_deg").asDouble(DepthParams.DEFAULT_FOV_DEG),
              raw.path("discontinuity").asDouble(DepthParams.DEFAULT_DISCONTINUITY_RATIO),
              params.quality().maxSidePx);
    } catch (IllegalArgumentException e) {
      throw new StageFailure(ReconstructionParams.INVALID_PARAMS, e.getMessage(), false);
    }
    List<InputRef> inputs = ctx.job().inputs();
    if (inputs == null || inputs.size() != 2) {
      throw ModeSteps.invalidInputs("depth needs two inputs: a colour image and its depth map");
    }
    int depthIndex =
        isDepthName(inputs.get(0).name()) && !isDepthName(inputs.get(1).name()) ? 0 : 1;
    depthInput = inputs.get(depthIndex);
    colourInput = inputs.get(1 - depthIndex);
    try (InputStream in = ctx.openInput(colourInput)) {
      colourBytes = in.readAllBytes();
    }
    progress.report(50, "colour image read");
    try (InputStream in = ctx.openInput(depthInput)) {
      depthBytes = in.readAllBytes();
    }
  }

  /**
   * {@code depth.png}, {@code chair.depth.png}, {@code chair_depth.png}, {@code chair-Depth.PNG}.
   */
  static boolean isDepthName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    String stem = dot > 0 ? lower.substring(0, dot) : lower;
    return stem.endsWith("depth");
  }

  private Double number(String field) {
    JsonNode node = raw.path(field);
    return node.isNumber() ? node.asDouble() : null;
  }

  @Override
  public void preprocess(StageContext ctx, ModelRun.Progress progress) throws Exception {
    try {
      depth = DepthMap.decode(depthBytes, depthParams.nearMm(), depthParams.farMm());
    } catch (DepthInputException e) {
      throw new StageFailure(
          INVALID_DEPTH_MAP, "depth map " + depthInput.name() + ": " + e.getMessage(), false, e);
    }
    // why: the depth image's raw bytes are no longer needed; the decoded floats replace them
    depthBytes = null;
    progress.report(40, "depth map decoded");
    depth = depth.downsample(params.quality().maxSidePx);
    intrinsics = Intrinsics.resolve(depthParams, depth);
    progress.report(60, "depth grid " + depth.width() + "x" + depth.height());
    colour = ImagePreparation.prepare(colourBytes, params.quality().maxSidePx);
  }

  @Override
  public void reconstruct(ModelRun.Progress progress) {
    result =
        DepthReconstruction.build(
            depth,
            colour.grid(),
            intrinsics,
            depthParams.discontinuityRatio(),
            progress.share("back-projecting pixels"));
  }

  @Override
  public Mesh generateMesh(ModelRun.Progress progress) throws StageFailure {
    if (result.mesh().faceCount() == 0) {
      throw new StageFailure(
          NO_SURFACE,
          "no two neighbouring pixels of the depth map have close depths, so there is no surface"
              + " to mesh",
          false);
    }
    return result.mesh();
  }

  @Override
  public Textured texture(Mesh simplified, ModelRun.Progress progress) throws Exception {
    // why: the back-projection gave every vertex the uv of its pixel in the colour image, and
    // decimation carries uvs along
    return new Textured(simplified, Png.encode(colour.grid()));
  }

  @Override
  public Mesh pointCloud(Mesh simplified) {
    return result.pointCloud();
  }

  @Override
  public void describe(ObjectNode metadata) {
    var inputs = metadata.putArray("inputs");
    ObjectNode c = inputs.addObject();
    c.put("name", colourInput.name());
    c.put("role", "colour");
    c.put("bytes", colourBytes.length);
    c.put("format", colour.format());
    c.put("width", colour.inputWidth());
    c.put("height", colour.inputHeight());
    ObjectNode d = inputs.addObject();
    d.put("name", depthInput.name());
    d.put("role", "depth");
    d.put("width", depth.sourceWidth());
    d.put("height", depth.sourceHeight());
    d.put("stepMm", depth.stepMm());
    ObjectNode grid = metadata.putObject("grid");
    grid.put("width", depth.width());
    grid.put("height", depth.height());
    ObjectNode info = metadata.putObject("depth");
    info.put("validPixels", result.validPixels());
    info.put("points", result.pointCloud().vertexCount());
    info.put("droppedTriangles", result.droppedTriangles());
    info.put("discontinuity", depthParams.discontinuityRatio());
    ObjectNode k = info.putObject("intrinsics");
    k.put("fx", intrinsics.fx());
    k.put("fy", intrinsics.fy());
    k.put("cx", intrinsics.cx());
    k.put("cy", intrinsics.cy());
  }
}
