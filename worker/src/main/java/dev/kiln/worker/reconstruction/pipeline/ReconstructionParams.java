package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.worker.pipeline.StageFailure;
import dev.kiln.worker.reconstruction.relief.HeightField;
import dev.kiln.worker.reconstruction.relief.ReliefParams;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parameters of the reconstruction job type. The gateway validates and fills in defaults; the
 * fallbacks and checks here repeat the descriptor so a hand-published message cannot crash a stage
 * with an unchecked exception.
 *
 * @param faceLimit hard face limit of the exported mesh, already resolved from quality when absent
 */
record ReconstructionParams(
    String mode, Quality quality, int faceLimit, Set<String> formats, ReliefParams relief) {

  static final String INVALID_PARAMS = "INVALID_PARAMS";
  static final List<String> ALL_FORMATS = List.of("glb", "obj", "ply", "stl");
  static final List<String> MODES = List.of("relief", "depth", "multiview");
  static final int MAX_FACE_LIMIT = 2_000_000;

  /**
   * Working resolution and automatic face limit. Relief and depth grids have one vertex per pixel,
   * so the long side bounds memory and decimation time quadratically: 1024 px is already ~2M faces
   * before simplification. Multiview carving sizes are {@link
   * dev.kiln.worker.reconstruction.multiview.MultiviewQuality}'s.
   */
  enum Quality {
    LOW(256, 20_000),
    MEDIUM(512, 100_000),
    HIGH(1024, 400_000);

    final int maxSidePx;
    final int autoFaceLimit;

    Quality(int maxSidePx, int autoFaceLimit) {
      this.maxSidePx = maxSidePx;
      this.autoFaceLimit = autoFaceLimit;
    }
  }

  static ReconstructionParams from(JsonNode params) throws StageFailure {
    String mode = params.path("mode").asText("relief");
    if (!MODES.contains(mode)) {
      throw invalid("mode must be relief, depth or multiview, not '" + abbreviate(mode) + "'");
    }
    Quality quality;
    try {
      quality = Quality.valueOf(params.path("quality").asText("medium").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("quality must be low, medium or high");
    }
    JsonNode limitNode = params.path("face_limit");
    int faceLimit = quality.autoFaceLimit;
    if (!limitNode.isMissingNode() && !limitNode.isNull()) {
      long limit = limitNode.asLong(-1);
      if (!limitNode.canConvertToLong() || limit < 4 || limit > MAX_FACE_LIMIT) {
        throw invalid("face_limit must be an integer from 4 to " + MAX_FACE_LIMIT);
      }
      faceLimit = (int) limit;
    }
    Set<String> formats = new LinkedHashSet<>();
    JsonNode formatsNode = params.path("formats");
    if (formatsNode.isMissingNode() || formatsNode.isNull()) {
      formats.addAll(ALL_FORMATS);
    } else if (!formatsNode.isArray()) {
      throw invalid("formats must be an array");
    } else {
      for (JsonNode f : formatsNode) {
        if (!ALL_FORMATS.contains(f.asText())) {
          throw invalid("formats may only contain " + String.join(", ", ALL_FORMATS));
        }
        formats.add(f.asText());
      }
    }
    int smoothing = params.path("smoothing").asInt(1);
    if (smoothing < 0 || smoothing > 10) {
      throw invalid("smoothing must be from 0 to 10");
    }
    ReliefParams relief;
    try {
      relief =
          new ReliefParams(
              params.path("width_mm").asDouble(100),
              params.path("max_height_mm").asDouble(5),
              params.path("base_mm").asDouble(1),
              params.path("invert").asBoolean(false),
              smoothing,
              HeightField.Smoothing.GAUSSIAN);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    return new ReconstructionParams(mode, quality, faceLimit, Set.copyOf(formats), relief);
  }

  private static StageFailure invalid(String message) {
    return new StageFailure(INVALID_PARAMS, message, false);
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "…";
  }
}
