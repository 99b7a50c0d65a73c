package dev.kiln.worker.reconstruction.multiview;

import static dev.kiln.worker.reconstruction.multiview.MarchingCubesTables.EDGE_AXIS;
import static dev.kiln.worker.reconstruction.multiview.MarchingCubesTables.EDGE_START;
import static dev.kiln.worker.reconstruction.multiview.MarchingCubesTables.TRIANGLES;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.util.Arrays;
import java.util.function.DoubleConsumer;

/**
 * Surface of a voxel grid's occupied voxels by marching cubes over the voxel centres.
 *
 * <p>The grid reads as padded with one layer of empty voxels on every side, so the surface closes
 * even where the object touches the grid's edge. Vertices are shared through the grid edge they lie
 * on, so the mesh is indexed and, with {@link MarchingCubesTables}, watertight, with
 * counter-clockwise faces seen from outside.
 *
 * <p>A vertex sits at the middle of its grid edge, or, given the {@link Solid} the grid sampled,
 * where the edge crosses that solid's boundary, found by bisection. For a visual hull this puts the
 * vertices on the silhouette cones, replacing the staircase of a binary grid with the true hull.
 */
public final class MarchingCubes {

  /** Inside test of the solid a grid samples. */
  @FunctionalInterface
  public interface Solid {
    boolean contains(double x, double y, double z);
  }

  /** Bisection steps per vertex; 6 leaves an error of 1/128 voxel, well below a pixel. */
  static final int REFINE_STEPS = 6;

  private MarchingCubes() {}

  /** Extraction with every vertex at the middle of its edge. */
  public static Mesh extract(VoxelGrid grid, DoubleConsumer progress) {
    return extract(grid, null, progress);
  }

  /**
   * @param solid the solid the grid sampled at its voxel centres, for placing vertices on its
   *     boundary; null places them at edge middles
   * @param progress receives 0..1, non-decreasing, once per z slab; it is also the cancel point:
   *     whatever it throws propagates
   */
  public static Mesh extract(VoxelGrid grid, Solid solid, DoubleConsumer progress) {
    DoubleConsumer report = progress == null ? p -> {} : progress;
    return new Run(grid, solid).march(report);
  }

  /** State of one extraction: two layers of occupancy and edge-to-vertex caches. */
  private static final class Run {
    private final VoxelGrid grid;
    private final Solid solid;
    private final int stride;
    private boolean[] occLo;
    private boolean[] occHi;
    private final int[][] xEdges = new int[2][];
    private final int[][] yEdges = new int[2][];
    private final int[] zEdges;
    private float[] pos = new float[3 * 1024];
    private int vertices;
    private int[] tri = new int[3 * 2048];
    private int indices;

    Run(VoxelGrid grid, Solid solid) {
      this.grid = grid;
      this.solid = solid;
      // why: point columns run from -1 to n, the padding included
      this.stride = grid.nx() + 2;
      int layer = stride * (grid.ny() + 2);
      for (int s = 0; s < 2; s++) {
        xEdges[s] = new int[layer];
        yEdges[s] = new int[layer];
      }
      zEdges = new int[layer];
    }

    Mesh march(DoubleConsumer report) {
      int nz = grid.nz();
      occLo = occupancy(-1);
      Arrays.fill(xEdges[0], -1);
      Arrays.fill(yEdges[0], -1);
      for (int k = -1; k < nz; k++) {
        occHi = occupancy(k + 1);
        Arrays.fill(xEdges[1], -1);
        Arrays.fill(yEdges[1], -1);
        Arrays.fill(zEdges, -1);
        for (int j = -1; j < grid.ny(); j++) {
          for (int i = -1; i < grid.nx(); i++) {
            cell(i, j, k);
          }
        }
        occLo = occHi;
        int[] swap = xEdges[0];
        xEdges[0] = xEdges[1];
        xEdges[1] = swap;
        swap = yEdges[0];
        yEdges[0] = yEdges[1];
        yEdges[1] = swap;
        report.accept((k + 2.0) / (nz + 1));
      }
      return new Mesh(Arrays.copyOf(pos, 3 * vertices), null, null, Arrays.copyOf(tri, indices));
    }

    private boolean[] occupancy(int k) {
      boolean[] occ = new boolean[stride * (grid.ny() + 2)];
      for (int j = 0; j < grid.ny(); j++) {
        for (int i = 0; i < grid.nx(); i++) {
          occ[slot(i, j)] = grid.get(i, j, k);
        }
      }
      return occ;
    }

    private int slot(int i, int j) {
      return (i + 1) + stride * (j + 1);
    }

    private boolean occupied(int i, int j, int upper) {
      return (upper == 0 ? occLo : occHi)[slot(i, j)];
    }

    private void cell(int i, int j, int k) {
      int cube = 0;
      for (int c = 0; c < 8; c++) {
        if (occupied(i + (c & 1), j + (c >> 1 & 1), c >> 2 & 1)) {
          cube |= 1 << c;
        }
      }
      int[] edges = TRIANGLES[cube];
      for (int e : edges) {
        if (indices == tri.length) {
          tri = Arrays.copyOf(tri, 2 * tri.length);
        }
        tri[indices++] = vertex(e, i, j, k);
      }
    }

    /** The vertex on edge e of cell (i, j, k), created on first use. */
    private int vertex(int e, int i, int j, int k) {
      int s = EDGE_START[e];
      int axis = EDGE_AXIS[e];
      int pi = i + (s & 1);
      int pj = j + (s >> 1 & 1);
      int upper = s >> 2 & 1;
      int[] cache = axis == 0 ? xEdges[upper] : axis == 1 ? yEdges[upper] : zEdges;
      int slot = slot(pi, pj);
      if (cache[slot] < 0) {
        cache[slot] = place(pi, pj, k + upper, axis, occupied(pi, pj, upper));
      }
      return cache[slot];
    }

    /** Appends the vertex on the grid edge from point (i, j, k) one step along axis. */
    private int place(int i, int j, int k, int axis, boolean startInside) {
      double x0 = grid.x(i);
      double y0 = grid.y(j);
      double z0 = grid.z(k);
      double step = grid.voxelSizeMm();
      // why: t runs from the inside end to the outside end, so bisection keeps "inside" below t
      double[] from = {x0, y0, z0};
      double dir = startInside ? 1 : -1;
      if (!startInside) {
        from[axis] += step;
      }
      double t = 0.5;
      if (solid != null) {
        double lo = 0;
        double hi = 1;
        double[] p = from.clone();
        for (int s = 0; s < REFINE_STEPS; s++) {
          double mid = 0.5 * (lo + hi);
          p[axis] = from[axis] + dir * mid * step;
          if (solid.contains(p[0], p[1], p[2])) {
            lo = mid;
          } else {
            hi = mid;
          }
        }
        t = 0.5 * (lo + hi);
      }
      from[axis] += dir * t * step;
      if (3 * vertices + 3 > pos.length) {
        pos = Arrays.copyOf(pos, 2 * pos.length);
      }
      pos[3 * vertices] = (float) from[0];
      pos[3 * vertices + 1] = (float) from[1];
      pos[3 * vertices + 2] = (float) from[2];
      return vertices++;
    }
  }
}
