package dev.kiln.worker.reconstruction.depth;

/**
 * Parameters of the depth mode, named after the API fields in messages. Optional values are null
 * when the client left them out.
 *
 * @param nearMm depth of 8-bit level 1; required for 8-bit maps, ignored for 16-bit ones
 * @param farMm depth of 8-bit level 255; given together with {@code nearMm}
 * @param fx focal length along x in pixels of the depth map as sent; null to derive it from {@code
 *     fovDeg}
 * @param fy focal length along y; null means {@code fx} (square pixels)
 * @param cx principal point x in pixels, integer coordinates at pixel centres; null means the image
 *     centre, {@code width / 2 - 0.5}
 * @param cy principal point y, likewise {@code height / 2 - 0.5} when null
 * @param fovDeg horizontal field of view across the full image width, used only when {@code fx} is
 *     null
 * @param discontinuityRatio a triangle is dropped when its corner depths differ by more than this
 *     share of its nearest corner's depth, plus one quantisation step (see {@link
 *     DepthReconstruction})
 * @param maxSidePx long side of the grid the mesh is built on; larger maps are downsampled
 */
public record DepthParams(
    Double nearMm,
    Double farMm,
    Double fx,
    Double fy,
    Double cx,
    Double cy,
    double fovDeg,
    double discontinuityRatio,
    int maxSidePx) {

  public static final double DEFAULT_FOV_DEG = 60;

  /**
   * why: between the two things it must separate. Consumer depth sensors are noisy by about 1–2% of
   * the range, and near the image centre a smooth surface at 512 px and 60° changes depth between
   * neighbours by more than 5% only when it is turned more than ~87° away from the camera; a real
   * object boundary is usually a step of 10% of the depth or more.
   */
  public static final double DEFAULT_DISCONTINUITY_RATIO = 0.05;

  public DepthParams {
    if ((nearMm == null) != (farMm == null)) {
      throw new IllegalArgumentException("near_mm and far_mm must be given together");
    }
    if (nearMm != null) {
      if (!(nearMm > 0) || !Double.isFinite(nearMm)) {
        throw new IllegalArgumentException("near_mm must be a positive number of millimetres");
      }
      if (!(farMm > nearMm) || !Double.isFinite(farMm)) {
        throw new IllegalArgumentException("far_mm must be greater than near_mm");
      }
    }
    if (fy != null && fx == null) {
      throw new IllegalArgumentException("fy needs fx; give fx alone for square pixels");
    }
    requirePositive("fx", fx);
    requirePositive("fy", fy);
    requireFinite("cx", cx);
    requireFinite("cy", cy);
    if (!(fovDeg > 0 && fovDeg < 180)) {
      throw new IllegalArgumentException("fov_deg must be greater than 0 and less than 180");
    }
    if (!(discontinuityRatio > 0 && discontinuityRatio <= 1)) {
      throw new IllegalArgumentException(
          "discontinuity_ratio must be greater than 0 and at most 1");
    }
    if (maxSidePx < 2) {
      throw new IllegalArgumentException("the grid's long side must be at least 2 pixels");
    }
  }

  /** Parameters with every optional value absent and the given grid size. */
  public static DepthParams defaults(int maxSidePx) {
    return new DepthParams(
        null,
        null,
        null,
        null,
        null,
        null,
        DEFAULT_FOV_DEG,
        DEFAULT_DISCONTINUITY_RATIO,
        maxSidePx);
  }

  private static void requirePositive(String name, Double value) {
    if (value != null && !(value > 0 && Double.isFinite(value))) {
      throw new IllegalArgumentException(name + " must be a positive number of pixels");
    }
  }

  private static void requireFinite(String name, Double value) {
    if (value != null && !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number of pixels");
    }
  }
}
