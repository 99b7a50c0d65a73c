package dev.kiln.worker.reconstruction.mesh;

/**
 * Symmetric 4x4 error quadrics stored as 10 doubles (a², ab, ac, ad, b², bc, bd, c², cd, d²) per
 * vertex in one flat array, so that half a million vertices cost no object headers.
 */
final class Quadrics {

  private Quadrics() {}

  static final int SIZE = 10;

  /** Adds weight · (plane)(plane)ᵀ for the plane n·x + d = 0 with unit n. */
  static void addPlane(double[] q, int v, double nx, double ny, double nz, double d, double w) {
    int o = SIZE * v;
    q[o] += w * nx * nx;
    q[o + 1] += w * nx * ny;
    q[o + 2] += w * nx * nz;
    q[o + 3] += w * nx * d;
    q[o + 4] += w * ny * ny;
    q[o + 5] += w * ny * nz;
    q[o + 6] += w * ny * d;
    q[o + 7] += w * nz * nz;
    q[o + 8] += w * nz * d;
    q[o + 9] += w * d * d;
  }

  static void sum(double[] q, int a, int b, double[] out) {
    for (int k = 0; k < SIZE; k++) {
      out[k] = q[SIZE * a + k] + q[SIZE * b + k];
    }
  }

  static void addInto(double[] q, int target, int source) {
    for (int k = 0; k < SIZE; k++) {
      q[SIZE * target + k] += q[SIZE * source + k];
    }
  }

  /** vᵀQv for v = (x, y, z, 1); never negative (rounding can make it slightly so). */
  static double error(double[] s, double x, double y, double z) {
    double e =
        s[0] * x * x
            + 2 * s[1] * x * y
            + 2 * s[2] * x * z
            + 2 * s[3] * x
            + s[4] * y * y
            + 2 * s[5] * y * z
            + 2 * s[6] * y
            + s[7] * z * z
            + 2 * s[8] * z
            + s[9];
    return Math.max(0, e);
  }

  /**
   * Position minimising the quadric into {@code out}; false when the 3x3 part is too close to
   * singular (flat or straight regions), where the caller falls back to the edge's points.
   */
  static boolean optimum(double[] s, double[] out) {
    double a = s[0], b = s[1], c = s[2], d = s[4], e = s[5], f = s[7];
    double det = a * (d * f - e * e) - b * (b * f - e * c) + c * (b * e - d * c);
    double trace = a + d + f;
    // why: relative test, because quadrics scale with the number of planes merged into them
    if (trace <= 0 || Math.abs(det) < 1e-9 * trace * trace * trace) {
      return false;
    }
    double rx = -s[3], ry = -s[6], rz = -s[8];
    out[0] = (rx * (d * f - e * e) - b * (ry * f - e * rz) + c * (ry * e - d * rz)) / det;
    out[1] = (a * (ry * f - e * rz) - rx * (b * f - e * c) + c * (b * rz - ry * c)) / det;
    out[2] = (a * (d * rz - ry * e) - b * (b * rz - ry * c) + rx * (b * e - d * c)) / det;
    return true;
  }
}
