package dev.kiln.worker.reconstruction.multiview;

import java.util.BitSet;
import java.util.function.DoubleConsumer;

/**
 * Samples a {@link VisualHull} on a voxel grid whose box it finds by itself.
 *
 * <p>The search starts from a cube around the point the cameras' viewing axes pass closest to, half
 * as wide as the distance to the nearest camera, so no camera is inside it. {@value #COARSE_PASSES}
 * coarse passes of {@value #COARSE} voxels per side then shrink the box to the voxels that may
 * touch the hull. They test a voxel's whole projected footprint (the bounding rectangle of its
 * eight projected corners) instead of its centre, so they never drop a part of the hull, however
 * thin. The final pass samples voxel centres at the requested resolution inside that box.
 */
public final class SpaceCarver {

  static final int COARSE = 48;
  static final int COARSE_PASSES = 2;

  /** Share of the progress range the coarse passes report; the fine pass gets the rest. */
  static final double COARSE_SHARE = 0.1;

  static final int MIN_RESOLUTION = 8;
  static final int MAX_RESOLUTION = 512;

  private SpaceCarver() {}

  /**
   * @param resolution voxels along the longest side of the object's box
   * @param progress receives 0..1, non-decreasing, once per coarse view and per fine z slice; it is
   *     also the cancel point: whatever it throws ends the carve and propagates
   * @return the occupancy at voxel centres; {@code occupied() == 0} when the silhouettes share no
   *     volume (wrong cameras or segmentation)
   */
  public static VoxelGrid carve(VisualHull hull, int resolution, DoubleConsumer progress) {
    if (resolution < MIN_RESOLUTION || resolution > MAX_RESOLUTION) {
      throw new IllegalArgumentException(
          "resolution must be from " + MIN_RESOLUTION + " to " + MAX_RESOLUTION);
    }
    DoubleConsumer report = progress == null ? p -> {} : progress;
    double[] box = CarvingBox.initial(hull);
    double passShare = COARSE_SHARE / COARSE_PASSES;
    for (int pass = 0; pass < COARSE_PASSES && box != null; pass++) {
      box = coarse(hull, box, report, pass * passShare, passShare);
    }
    if (box == null) {
      report.accept(1.0);
      return new VoxelGrid(new double[3], 1, 1, 1, 1, new BitSet());
    }
    return fine(hull, box, resolution, report);
  }

  /** Grid dimensions and origin of cubic voxels covering {@code box} centred on it. */
  private record Layout(double[] origin, double size, int nx, int ny, int nz) {
    static Layout of(double[] box, int resolution) {
      double longest = Math.max(box[3] - box[0], Math.max(box[4] - box[1], box[5] - box[2]));
      double size = longest / resolution;
      int[] n = new int[3];
      double[] origin = new double[3];
      for (int a = 0; a < 3; a++) {
        n[a] = Math.max(1, (int) Math.ceil((box[a + 3] - box[a]) / size - 1e-9));
        origin[a] = 0.5 * (box[a] + box[a + 3]) - 0.5 * n[a] * size;
      }
      return new Layout(origin, size, n[0], n[1], n[2]);
    }
  }

  /**
   * One conservative pass: clears the voxels whose footprint misses the silhouette or the image in
   * some view and returns the bounds of the rest, or null when nothing is left.
   */
  private static double[] coarse(
      VisualHull hull, double[] box, DoubleConsumer report, double from, double share) {
    Layout g = Layout.of(box, COARSE);
    BitSet alive = new BitSet(g.nx * g.ny * g.nz);
    alive.set(0, g.nx * g.ny * g.nz);
    double[] uv = new double[3];
    for (int v = 0; v < hull.views(); v++) {
      Camera cam = hull.camera(v);
      int w = cam.width();
      int h = cam.height();
      int[] sat = summedArea(hull.mask(v));
      for (int idx = alive.nextSetBit(0); idx >= 0; idx = alive.nextSetBit(idx + 1)) {
        int i = idx % g.nx;
        int j = (idx / g.nx) % g.ny;
        int k = idx / (g.nx * g.ny);
        double uMin = Double.MAX_VALUE;
        double uMax = -Double.MAX_VALUE;
        double vMin = Double.MAX_VALUE;
        double vMax = -Double.MAX_VALUE;
        boolean behind = false;
        for (int c = 0; c < 8 && !behind; c++) {
          double x = g.origin[0] + (i + (c & 1)) * g.size;
          double y = g.origin[1] + (j + ((c >> 1) & 1)) * g.size;
          double z = g.origin[2] + (k + ((c >> 2) & 1)) * g.size;
          behind = !cam.project(x, y, z, uv);
          uMin = Math.min(uMin, uv[0]);
          uMax = Math.max(uMax, uv[0]);
          vMin = Math.min(vMin, uv[1]);
          vMax = Math.max(vMax, uv[1]);
        }
        if (behind) {
          // why: a footprint that reaches behind the camera is unbounded; keep the voxel
          continue;
        }
        int x0 = (int) Math.max(0, Math.floor(uMin));
        int x1 = (int) Math.min(w - 1, Math.floor(uMax));
        int y0 = (int) Math.max(0, Math.floor(vMin));
        int y1 = (int) Math.min(h - 1, Math.floor(vMax));
        if (x0 > x1 || y0 > y1 || rectSum(sat, w, x0, y0, x1, y1) == 0) {
          alive.clear(idx);
        }
      }
      report.accept(from + share * (v + 1) / hull.views());
    }
    if (alive.isEmpty()) {
      return null;
    }
    int[] lo = {g.nx, g.ny, g.nz};
    int[] hi = {-1, -1, -1};
    for (int idx = alive.nextSetBit(0); idx >= 0; idx = alive.nextSetBit(idx + 1)) {
      int[] ijk = {idx % g.nx, (idx / g.nx) % g.ny, idx / (g.nx * g.ny)};
      for (int a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a], ijk[a]);
        hi[a] = Math.max(hi[a], ijk[a]);
      }
    }
    double[] bounds = new double[6];
    for (int a = 0; a < 3; a++) {
      bounds[a] = g.origin[a] + lo[a] * g.size;
      bounds[a + 3] = g.origin[a] + (hi[a] + 1) * g.size;
    }
    return bounds;
  }

  private static VoxelGrid fine(
      VisualHull hull, double[] box, int resolution, DoubleConsumer report) {
    Layout g = Layout.of(box, resolution);
    BitSet occupied = new BitSet(g.nx * g.ny * g.nz);
    VoxelGrid grid = new VoxelGrid(g.origin, g.size, g.nx, g.ny, g.nz, occupied);
    // why: neighbouring voxels are mostly carved by the same view, so trying the last carving view
    // first usually settles an outside voxel with a single projection
    int hint = 0;
    for (int k = 0; k < g.nz; k++) {
      double z = grid.z(k);
      for (int j = 0; j < g.ny; j++) {
        double y = grid.y(j);
        for (int i = 0; i < g.nx; i++) {
          int miss = hull.firstMiss(grid.x(i), y, z, hint);
          if (miss < 0) {
            occupied.set(grid.index(i, j, k));
          } else {
            hint = miss;
          }
        }
      }
      report.accept(COARSE_SHARE + (1 - COARSE_SHARE) * (k + 1) / g.nz);
    }
    return grid;
  }

  /**
   * Inclusive prefix counts of foreground pixels, (w + 1) × (h + 1) with a zero first row/column.
   */
  private static int[] summedArea(Mask mask) {
    int w = mask.width();
    int h = mask.height();
    int[] sat = new int[(w + 1) * (h + 1)];
    for (int y = 0; y < h; y++) {
      int rowSum = 0;
      for (int x = 0; x < w; x++) {
        rowSum += mask.inside().get(y * w + x) ? 1 : 0;
        sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + rowSum;
      }
    }
    return sat;
  }

  private static int rectSum(int[] sat, int w, int x0, int y0, int x1, int y1) {
    int s = w + 1;
    return sat[(y1 + 1) * s + x1 + 1]
        - sat[y0 * s + x1 + 1]
        - sat[(y1 + 1) * s + x0]
        + sat[y0 * s + x0];
  }
}
