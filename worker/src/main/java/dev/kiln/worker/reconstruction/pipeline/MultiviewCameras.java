package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.worker.pipeline.StageFailure;
import dev.kiln.worker.reconstruction.multiview.Camera;

/**
 * The cameras of a multiview job from its params: a turntable ({@code angles_deg}, with {@code
 * elevations_deg}, {@code distance_mm} and {@code fov_deg}) or one 3x4 {@code projections} matrix
 * per image. Checked when the inputs are fetched; built per image once its size is known.
 */
final class MultiviewCameras {

  static final double DEFAULT_DISTANCE_MM = 500;
  static final double DEFAULT_FOV_DEG = 60;

  private final JsonNode angles;
  private final JsonNode elevations;
  private final JsonNode projections;
  private final double distanceMm;
  private final double fovDeg;

  private MultiviewCameras(JsonNode raw) {
    this.angles = raw.path("angles_deg");
    this.elevations = raw.path("elevations_deg");
    this.projections = raw.path("projections");
    this.distanceMm = raw.path("distance_mm").asDouble(DEFAULT_DISTANCE_MM);
    this.fovDeg = raw.path("fov_deg").asDouble(DEFAULT_FOV_DEG);
  }

  /**
   * @param images how many images the job has: every per-image list must have one entry each
   */
  static MultiviewCameras from(JsonNode raw, int images) throws StageFailure {
    MultiviewCameras c = new MultiviewCameras(raw);
    boolean turntable = c.angles.isArray();
    boolean matrices = c.projections.isArray();
    if (turntable == matrices) {
      throw invalid("multiview needs exactly one of angles_deg (turntable) and projections");
    }
    if (turntable) {
      if (c.angles.size() != images) {
        throw invalid("angles_deg has " + c.angles.size() + " entries for " + images + " images");
      }
      if (c.elevations.isArray() && c.elevations.size() != 1 && c.elevations.size() != images) {
        throw invalid("elevations_deg must have 1 entry or one per image (" + images + ")");
      }
      if (!(c.distanceMm > 0) || !(c.fovDeg > 0 && c.fovDeg < 180)) {
        throw invalid("distance_mm must be above 0 and fov_deg between 0 and 180");
      }
    } else {
      if (c.projections.size() != images) {
        throw invalid(
            "projections has " + c.projections.size() + " matrices for " + images + " images");
      }
      for (int i = 0; i < images; i++) {
        if (c.projections.get(i).size() != 12) {
          throw invalid("projections[" + i + "] must have 12 numbers (3x4, row-major)");
        }
      }
    }
    return c;
  }

  String kind() {
    return angles.isArray() ? "turntable" : "projection";
  }

  /** The camera of image {@code i}, whose decoded size is {@code width} x {@code height}. */
  Camera camera(int i, int width, int height) throws StageFailure {
    try {
      if (angles.isArray()) {
        double elevation =
            !elevations.isArray() ? 0 : elevations.get(elevations.size() == 1 ? 0 : i).asDouble();
        return Camera.turntable(
            angles.get(i).asDouble(), distanceMm, fovDeg, elevation, width, height);
      }
      double[] p = new double[12];
      for (int k = 0; k < 12; k++) {
        p[k] = projections.get(i).get(k).asDouble();
      }
      return Camera.projection(p, width, height);
    } catch (IllegalArgumentException e) {
      throw invalid("camera of image " + i + ": " + e.getMessage());
    }
  }

  private static StageFailure invalid(String message) {
    return new StageFailure(ReconstructionParams.INVALID_PARAMS, message, false);
  }
}
