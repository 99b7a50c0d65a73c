package dev.kiln.worker.reconstruction.relief;

/**
 * Physical parameters of a bas-relief, all lengths in millimetres.
 *
 * @param widthMm size along the image's x axis; depth follows from the image's aspect ratio
 * @param maxHeightMm height added above the base by full luminance
 * @param baseMm solid thickness under the darkest pixel; must be positive so walls never collapse
 */
public record ReliefParams(
    double widthMm,
    double maxHeightMm,
    double baseMm,
    boolean invert,
    int smoothingRadius,
    HeightField.Smoothing smoothing) {

  public ReliefParams {
    if (!(widthMm > 0) || !(maxHeightMm >= 0) || !(baseMm > 0)) {
      throw new IllegalArgumentException(
          "width_mm and base_mm must be positive, max_height_mm not negative");
    }
    if (smoothingRadius < 0) {
      throw new IllegalArgumentException("smoothing must not be negative");
    }
    if (smoothing == null) {
      smoothing = HeightField.Smoothing.GAUSSIAN;
    }
  }
}
