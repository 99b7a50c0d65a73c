package dev.kiln.worker.reconstruction.multiview;

/** The generous starting box of {@link SpaceCarver}, derived from the cameras alone. */
final class CarvingBox {

  private CarvingBox() {}

  /**
   * A cube centred on the point closest (least squares) to every camera's viewing axis, with a half
   * side of half the distance to the nearest camera: its corners then stay within 0.87 of that
   * distance, so every camera is outside it.
   *
   * @return min x, y, z then max x, y, z
   * @throws IllegalArgumentException when the viewing axes are (nearly) parallel, so the cameras do
   *     not look at a common point
   */
  static double[] initial(VisualHull hull) {
    double[] a = new double[9];
    double[] b = new double[3];
    for (int v = 0; v < hull.views(); v++) {
      Camera cam = hull.camera(v);
      // why: the normalised matrix's third row is the unit viewing direction
      double[] d = {cam.p(8), cam.p(9), cam.p(10)};
      double[] c = cam.centre();
      for (int r = 0; r < 3; r++) {
        for (int k = 0; k < 3; k++) {
          double m = (r == k ? 1 : 0) - d[r] * d[k];
          a[3 * r + k] += m;
          b[r] += m * c[k];
        }
      }
    }
    double det = det(a);
    // why: A sums projectors onto planes; with parallel axes it is singular, and relative to its
    // size (trace = 2 per view) a tiny determinant means the axes barely converge
    double scale = 2.0 * hull.views() / 3;
    if (!(Math.abs(det) > 1e-6 * scale * scale * scale)) {
      throw new IllegalArgumentException(
          "cameras must look at a common point from at least two directions");
    }
    double[] centre = new double[3];
    for (int col = 0; col < 3; col++) {
      double[] m = a.clone();
      for (int r = 0; r < 3; r++) {
        m[3 * r + col] = b[r];
      }
      centre[col] = det(m) / det;
    }
    double nearest = Double.MAX_VALUE;
    for (int v = 0; v < hull.views(); v++) {
      double[] c = hull.camera(v).centre();
      double dx = c[0] - centre[0];
      double dy = c[1] - centre[1];
      double dz = c[2] - centre[2];
      nearest = Math.min(nearest, Math.sqrt(dx * dx + dy * dy + dz * dz));
    }
    double half = 0.5 * nearest;
    return new double[] {
      centre[0] - half,
      centre[1] - half,
      centre[2] - half,
      centre[0] + half,
      centre[1] + half,
      centre[2] + half
    };
  }

  private static double det(double[] m) {
    return m[0] * (m[4] * m[8] - m[5] * m[7])
        - m[1] * (m[3] * m[8] - m[5] * m[6])
        + m[2] * (m[3] * m[7] - m[4] * m[6]);
  }
}
