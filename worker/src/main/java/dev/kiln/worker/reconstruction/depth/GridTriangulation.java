package dev.kiln.worker.reconstruction.depth;

import java.util.Arrays;

/**
 * Splits each 2x2 cell of valid neighbours into two triangles, dropping any triangle that would
 * bridge a depth discontinuity.
 *
 * <p>A triangle is a discontinuity when {@code max(z) - min(z) > ratio * min(z) + step}. why: the
 * relative part follows the geometry, since both the spacing between neighbouring rays and sensor
 * noise grow in proportion to depth; the absolute part is one quantisation step of the encoding,
 * because rounding alone can add that much to a true difference, and without it a smooth surface
 * close to the camera (where ratio * z is below one step) would be torn at every step.
 *
 * <p>Of the cell's two diagonals, the one keeping more triangles wins, so a cell with one missing
 * or far corner still yields the triangle of its other three. On a tie the diagonal whose ends
 * differ less in depth wins: it is the shorter one in 3D, which gives better-shaped triangles and
 * folds the cell along its level line rather than down its slope. Indices are grid indices {@code y
 * * width + x}; winding is counter-clockwise seen from the camera once rows run downwards in the
 * image and upwards in the model.
 */
final class GridTriangulation {

  private static final int MISSING = 0;
  private static final int KEPT = 1;
  private static final int DROPPED = 2;

  /**
   * @param grid three grid indices per triangle
   * @param dropped triangles whose corners all had a depth but which bridged a discontinuity
   */
  record Triangles(int[] grid, int dropped) {}

  private GridTriangulation() {}

  static Triangles triangulate(DepthMap depth, double ratio, RowProgress progress) {
    int w = depth.width();
    int h = depth.height();
    float[] z = depth.samples();
    double step = depth.stepMm();
    // why: a cell emits only with three valid corners and a sample is a corner of at most four
    // cells, so there are at most 4/3 emitting cells, 8/3 triangles, 8 indices per valid sample;
    // a sparse map then does not allocate for the whole grid
    int[] out = new int[Math.toIntExact(Math.min(6L * (w - 1) * (h - 1), 8L * depth.validCount()))];
    int t = 0;
    int dropped = 0;
    for (int y = 0; y + 1 < h; y++) {
      for (int x = 0; x + 1 < w; x++) {
        int tl = y * w + x;
        int tr = tl + 1;
        int bl = tl + w;
        int br = bl + 1;
        int a1 = status(z, tl, bl, br, ratio, step);
        int a2 = status(z, tl, br, tr, ratio, step);
        int b1 = status(z, tl, bl, tr, ratio, step);
        int b2 = status(z, bl, br, tr, ratio, step);
        int keptA = kept(a1) + kept(a2);
        int keptB = kept(b1) + kept(b2);
        boolean useB =
            keptB > keptA || (keptB == keptA && Math.abs(z[tr] - z[bl]) < Math.abs(z[tl] - z[br]));
        if (useB) {
          t = emit(out, t, b1, tl, bl, tr);
          t = emit(out, t, b2, bl, br, tr);
          dropped += droppedCount(b1) + droppedCount(b2);
        } else {
          t = emit(out, t, a1, tl, bl, br);
          t = emit(out, t, a2, tl, br, tr);
          dropped += droppedCount(a1) + droppedCount(a2);
        }
      }
      progress.rowDone();
    }
    return new Triangles(Arrays.copyOf(out, t), dropped);
  }

  private static int status(float[] z, int a, int b, int c, double ratio, double step) {
    float za = z[a];
    float zb = z[b];
    float zc = z[c];
    if (za != za || zb != zb || zc != zc) {
      return MISSING;
    }
    double min = Math.min(za, Math.min(zb, zc));
    double max = Math.max(za, Math.max(zb, zc));
    return max - min > ratio * min + step ? DROPPED : KEPT;
  }

  private static int kept(int status) {
    return status == KEPT ? 1 : 0;
  }

  private static int droppedCount(int status) {
    return status == DROPPED ? 1 : 0;
  }

  private static int emit(int[] out, int t, int status, int a, int b, int c) {
    if (status != KEPT) {
      return t;
    }
    out[t] = a;
    out[t + 1] = b;
    out[t + 2] = c;
    return t + 3;
  }
}
