package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.messages.InputRef;
import dev.kiln.worker.pipeline.StageContext;
import dev.kiln.worker.pipeline.StageFailure;
import dev.kiln.worker.reconstruction.export.Png;
import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.multiview.Camera;
import dev.kiln.worker.reconstruction.multiview.MarchingCubes;
import dev.kiln.worker.reconstruction.multiview.Mask;
import dev.kiln.worker.reconstruction.multiview.MultiviewQuality;
import dev.kiln.worker.reconstruction.multiview.Silhouette;
import dev.kiln.worker.reconstruction.multiview.SpaceCarver;
import dev.kiln.worker.reconstruction.multiview.ViewTexturer;
import dev.kiln.worker.reconstruction.multiview.VisualHull;
import dev.kiln.worker.reconstruction.multiview.VoxelGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mode {@code multiview}: silhouettes of 3 to 64 photographs with known cameras are carved into a
 * voxel grid, meshed with marching cubes and textured per face from its best view.
 *
 * <p>why images are spooled to disk: only their one-bit masks stay in memory; texturing decodes
 * each view it needs once more, one at a time, so no more than one decoded image is ever alive.
 */
final class MultiviewSteps implements ModeSteps {

  static final String NO_COMMON_VOLUME = "NO_COMMON_VOLUME";
  static final int MIN_IMAGES = 3;

  private final JsonNode raw;
  private final MultiviewQuality quality;
  private MultiviewCameras cameraParams;
  private List<InputRef> inputs;
  private final List<Path> spooled = new ArrayList<>();
  private final List<long[]> sizes = new ArrayList<>();
  private final List<Camera> cameras = new ArrayList<>();
  private final List<Mask> masks = new ArrayList<>();
  private VisualHull hull;
  private VoxelGrid grid;
  private int viewsUsed;

  MultiviewSteps(ReconstructionParams params, JsonNode raw) {
    this.raw = raw;
    this.quality = MultiviewQuality.valueOf(params.quality().name());
  }

  @Override
  public void fetch(StageContext ctx, ModelRun.Progress progress) throws Exception {
    inputs = ctx.job().inputs() == null ? List.of() : ctx.job().inputs();
    if (inputs.size() < MIN_IMAGES) {
      throw ModeSteps.invalidInputs(
          "multiview needs at least " + MIN_IMAGES + " images, got " + inputs.size());
    }
    cameraParams = MultiviewCameras.from(raw, inputs.size());
    Path dir = Files.createDirectories(ctx.workDir().resolve("views"));
    for (int i = 0; i < inputs.size(); i++) {
      Path file = dir.resolve("view-" + i);
      try (InputStream in = ctx.openInput(inputs.get(i))) {
        Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      spooled.add(file);
      progress.report((i + 1) * 100 / inputs.size(), "image " + (i + 1) + " of " + inputs.size());
    }
  }

  @Override
  public void preprocess(StageContext ctx, ModelRun.Progress progress) throws Exception {
    for (int i = 0; i < spooled.size(); i++) {
      BufferedImage image = decode(i);
      sizes.add(new long[] {image.getWidth(), image.getHeight(), Files.size(spooled.get(i))});
      cameras.add(cameraParams.camera(i, image.getWidth(), image.getHeight()));
      masks.add(Silhouette.segment(image));
      progress.report(
          (i + 1) * 100 / spooled.size(), "silhouette " + (i + 1) + " of " + spooled.size());
    }
  }

  @Override
  public void reconstruct(ModelRun.Progress progress) throws StageFailure {
    hull = new VisualHull(masks, cameras);
    grid = SpaceCarver.carve(hull, quality.voxelsPerSide(), progress.share("carving slices"));
    if (grid.occupied() == 0) {
      throw new StageFailure(
          NO_COMMON_VOLUME,
          "the silhouettes share no volume: check that the cameras belong to the images, in"
              + " input order, and that each image shows the whole object on a plain background",
          false);
    }
  }

  @Override
  public Mesh generateMesh(ModelRun.Progress progress) {
    return MarchingCubes.extract(grid, hull::contains, progress.share("marching cubes"));
  }

  @Override
  public Textured texture(Mesh simplified, ModelRun.Progress progress) throws Exception {
    ViewTexturer.Textured textured;
    try {
      textured =
          ViewTexturer.texture(
              simplified,
              cameras,
              this::decodeUnchecked,
              quality.maxAtlasSide(),
              progress.share("texturing from the best views"));
    } catch (UncheckedStageFailure e) {
      throw e.failure;
    }
    viewsUsed = textured.viewsUsed();
    return new Textured(textured.mesh(), Png.encode(textured.atlas()));
  }

  @Override
  public Mesh pointCloud(Mesh simplified) {
    return simplified;
  }

  @Override
  public void describe(ObjectNode metadata) {
    var list = metadata.putArray("inputs");
    for (int i = 0; i < inputs.size(); i++) {
      ObjectNode in = list.addObject();
      in.put("name", inputs.get(i).name());
      in.put("bytes", sizes.get(i)[2]);
      in.put("width", sizes.get(i)[0]);
      in.put("height", sizes.get(i)[1]);
      in.put("silhouettePixels", masks.get(i).area());
    }
    ObjectNode carving = metadata.putObject("carving");
    carving.put("cameras", cameraParams.kind());
    carving.put("voxelsX", grid.nx());
    carving.put("voxelsY", grid.ny());
    carving.put("voxelsZ", grid.nz());
    carving.put("voxelSizeMm", grid.voxelSizeMm());
    carving.put("occupiedVoxels", grid.occupied());
    carving.put("occupiedVolumeMm3", grid.occupiedVolumeMm3());
    carving.put("viewsUsedForTexture", viewsUsed);
  }

  private BufferedImage decode(int i) throws IOException, StageFailure {
    try {
      return ImagePreparation.decode(Files.readAllBytes(spooled.get(i))).image();
    } catch (StageFailure e) {
      throw new StageFailure(
          e.code(), "image " + inputs.get(i).name() + ": " + e.getMessage(), false, e);
    }
  }

  private BufferedImage decodeUnchecked(int i) {
    try {
      return decode(i);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (StageFailure e) {
      throw new UncheckedStageFailure(e);
    }
  }

  /** Carries a stage failure through the texturer's {@code IntFunction}. */
  private static final class UncheckedStageFailure extends RuntimeException {
    final StageFailure failure;

    UncheckedStageFailure(StageFailure failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }
}
