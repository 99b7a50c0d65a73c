package dev.kiln.worker.reconstruction.multiview;

/**
 * A calibrated pinhole camera: a 3×4 projection matrix from model space (millimetres, Z up) to
 * homogeneous image pixels, and the size of the image it took.
 *
 * <p>Pixel convention: continuous image coordinates have their origin at the top-left corner of the
 * top-left pixel, u to the right and v downwards, so pixel (x, y) covers [x, x+1) × [y, y+1) and
 * its centre is (x + 0.5, y + 0.5). Dividing by the image size therefore gives glTF texture
 * coordinates directly. A matrix calibrated with OpenCV (pixel centres on integers) must be
 * premultiplied by [[1,0,0.5],[0,1,0.5],[0,0,1]] first.
 *
 * <p>The matrix is stored normalised: scaled so that its left 3×3 block has a positive determinant
 * and a unit third row. The third homogeneous coordinate is then the depth of the point along the
 * viewing axis in millimetres, positive in front of the camera.
 */
public final class Camera {

  private final double[] p;
  private final int width;
  private final int height;
  private final double[] centre;

  private Camera(double[] p, int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive");
    }
    this.p = normalised(p);
    this.width = width;
    this.height = height;
    this.centre = solveCentre(this.p);
  }

  /**
   * A camera of a turntable rig looking at the origin with square pixels and the principal point in
   * the image centre.
   *
   * <p>Angle convention: at angle 0 the camera stands on the −Y axis looking towards +Y (a front
   * view: +X to the right, +Z up in the image); the angle turns the camera counter-clockwise about
   * +Z seen from above, so 90° puts it on the +X axis. A turntable that turns the object
   * counter-clockwise by α between shots therefore gives angle −α.
   *
   * @param angleDeg azimuth of the camera about the model Z axis
   * @param distanceMm distance of the camera from the origin
   * @param fovDeg horizontal field of view
   * @param elevationDeg height angle of the camera above the XY plane (negative looks up from
   *     below); must stay short of ±90° where the image "up" direction is undefined
   */
  public static Camera turntable(
      double angleDeg,
      double distanceMm,
      double fovDeg,
      double elevationDeg,
      int width,
      int height) {
    if (!(distanceMm > 0) || !(fovDeg > 0 && fovDeg < 180) || !(Math.abs(elevationDeg) < 89)) {
      throw new IllegalArgumentException(
          "turntable needs distance > 0, 0 < fov < 180 and |elevation| < 89 degrees");
    }
    double a = Math.toRadians(angleDeg);
    double e = Math.toRadians(elevationDeg);
    double[] c = {
      distanceMm * Math.cos(e) * Math.sin(a),
      -distanceMm * Math.cos(e) * Math.cos(a),
      distanceMm * Math.sin(e)
    };
    double[] forward = unit(new double[] {-c[0], -c[1], -c[2]});
    double[] right = unit(cross(forward, new double[] {0, 0, 1}));
    // why: image v grows downwards, so the second camera axis is "down", keeping the frame
    // right-handed (right × down = forward)
    double[] down = cross(forward, right);
    double f = 0.5 * width / Math.tan(Math.toRadians(fovDeg) / 2);
    double cx = 0.5 * width;
    double cy = 0.5 * height;
    // why: P = K [R | -R c] with K = [[f, 0, cx], [0, f, cy], [0, 0, 1]]; writing out the product
    // row by row keeps it readable without a matrix type
    double[] p = new double[12];
    setRow(p, 0, right, f, forward, cx, c);
    setRow(p, 1, down, f, forward, cy, c);
    setRow(p, 2, forward, 0, forward, 1, c);
    return new Camera(p, width, height);
  }

  /**
   * A camera from an explicit projection matrix.
   *
   * @param p12 row-major 3×4 matrix mapping (x, y, z, 1) in millimetres to homogeneous pixels, in
   *     the pixel convention of this class; any non-zero scale, sign included
   */
  public static Camera projection(double[] p12, int width, int height) {
    if (p12 == null || p12.length != 12) {
      throw new IllegalArgumentException("a projection matrix has 12 numbers");
    }
    for (double v : p12) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("projection matrix must be finite");
      }
    }
    return new Camera(p12.clone(), width, height);
  }

  /**
   * Projects a model point.
   *
   * @param out receives u, v (pixels) and the depth in millimetres; length at least 3
   * @return false when the point is not in front of the camera, in which case out is unspecified
   */
  public boolean project(double x, double y, double z, double[] out) {
    double w = p[8] * x + p[9] * y + p[10] * z + p[11];
    if (!(w > 0)) {
      return false;
    }
    out[0] = (p[0] * x + p[1] * y + p[2] * z + p[3]) / w;
    out[1] = (p[4] * x + p[5] * y + p[6] * z + p[7]) / w;
    out[2] = w;
    return true;
  }

  /** The optical centre in model coordinates (a fresh copy). */
  public double[] centre() {
    return centre.clone();
  }

  /** The normalised matrix, row-major (a fresh copy). */
  public double[] matrix() {
    return p.clone();
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Matrix entry without copying, for the projection loops of this package. */
  double p(int index) {
    return p[index];
  }

  private static double[] normalised(double[] p) {
    double det = det3(p);
    double norm = Math.sqrt(p[8] * p[8] + p[9] * p[9] + p[10] * p[10]);
    if (!(Math.abs(det) > 1e-12 * norm * norm * norm)) {
      throw new IllegalArgumentException("projection matrix must have a regular left 3x3 block");
    }
    // why: a projection matrix is only defined up to scale; fixing sign and scale makes the
    // homogeneous w the signed depth, so "in front of the camera" is simply w > 0
    double s = Math.signum(det) / norm;
    double[] q = new double[12];
    for (int i = 0; i < 12; i++) {
      q[i] = p[i] * s;
    }
    return q;
  }

  /** Row r of K [R | -R c]: scale times the axis plus offset times the viewing direction. */
  private static void setRow(
      double[] p, int r, double[] axis, double scale, double[] forward, double offset, double[] c) {
    for (int k = 0; k < 3; k++) {
      p[4 * r + k] = scale * axis[k] + offset * forward[k];
    }
    p[4 * r + 3] = -(scale * dot(axis, c) + offset * dot(forward, c));
  }

  private static double det3(double[] p) {
    return p[0] * (p[5] * p[10] - p[6] * p[9])
        - p[1] * (p[4] * p[10] - p[6] * p[8])
        + p[2] * (p[4] * p[9] - p[5] * p[8]);
  }

  /** Solves M c = -p4 by Cramer's rule: the centre is the point every ray passes through. */
  private static double[] solveCentre(double[] p) {
    double det = det3(p);
    double[] c = new double[3];
    for (int col = 0; col < 3; col++) {
      double[] m = p.clone();
      for (int r = 0; r < 3; r++) {
        m[4 * r + col] = -p[4 * r + 3];
      }
      c[col] = det3(m) / det;
    }
    return c;
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }

  private static double[] cross(double[] a, double[] b) {
    return new double[] {
      a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
    };
  }

  private static double[] unit(double[] v) {
    double len = Math.sqrt(dot(v, v));
    return new double[] {v[0] / len, v[1] / len, v[2] / len};
  }
}
