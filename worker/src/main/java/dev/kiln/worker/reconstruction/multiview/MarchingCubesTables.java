package dev.kiln.worker.reconstruction.multiview;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Marching-cubes case tables, generated at class load from one rule so that neighbouring cells
 * always agree and the surface is closed by construction.
 *
 * <p>Corner c of a cell sits at offset (c & 1, c >> 1 & 1, c >> 2 & 1). Edge e runs from corner
 * {@link #EDGE_START}[e] one step along axis {@link #EDGE_AXIS}[e] (edges 0–3 along x, 4–7 along y,
 * 8–11 along z).
 *
 * <p>The rule: on each cell face, walked counter-clockwise seen from outside the cell, every
 * outside-to-inside crossing is joined to the next inside-to-outside crossing. That cuts off each
 * run of inside corners separately, also on the ambiguous faces with two diagonal inside corners,
 * and depends only on the face's four corners; the cell on the other side walks the face the other
 * way and so produces the same segment reversed. The segments of a cell chain into closed loops,
 * oriented counter-clockwise seen from outside the solid. Each loop is triangulated with diagonals
 * only between vertices on edges that share no face, so no diagonal can coincide with a segment or
 * a diagonal of a neighbouring cell. Hence every mesh edge is used by exactly two triangles in
 * opposite directions.
 */
final class MarchingCubesTables {

  static final int[] EDGE_START = new int[12];
  static final int[] EDGE_AXIS = new int[12];

  /** Per case (bit c set when corner c is inside), three edge ids per triangle. */
  static final int[][] TRIANGLES = new int[256][];

  /** For each of the 6 faces (axis * 2 + side), its corners counter-clockwise seen from outside. */
  private static final int[][] FACE_CORNERS = new int[6][];

  static {
    int e = 0;
    for (int axis = 0; axis < 3; axis++) {
      for (int c = 0; c < 8; c++) {
        if ((c >> axis & 1) == 0) {
          EDGE_START[e] = c;
          EDGE_AXIS[e] = axis;
          e++;
        }
      }
    }
    for (int axis = 0; axis < 3; axis++) {
      int a1 = (axis + 1) % 3;
      int a2 = (axis + 2) % 3;
      for (int side = 0; side < 2; side++) {
        // why: (a1, a2) in the order (0,0) (1,0) (1,1) (0,1) turns counter-clockwise about +axis,
        // because e_a1 x e_a2 = e_axis; the face on the negative side is seen from -axis
        int[][] square =
            side == 1
                ? new int[][] {{0, 0}, {1, 0}, {1, 1}, {0, 1}}
                : new int[][] {{0, 0}, {0, 1}, {1, 1}, {1, 0}};
        int[] corners = new int[4];
        for (int q = 0; q < 4; q++) {
          corners[q] = side << axis | square[q][0] << a1 | square[q][1] << a2;
        }
        FACE_CORNERS[2 * axis + side] = corners;
      }
    }
    for (int cube = 0; cube < 256; cube++) {
      TRIANGLES[cube] = triangulate(cube);
    }
  }

  private MarchingCubesTables() {}

  static int edgeBetween(int c0, int c1) {
    for (int e = 0; e < 12; e++) {
      int s = EDGE_START[e];
      int t = s | 1 << EDGE_AXIS[e];
      if ((s == c0 && t == c1) || (s == c1 && t == c0)) {
        return e;
      }
    }
    throw new IllegalArgumentException("corners " + c0 + " and " + c1 + " are not adjacent");
  }

  /** True when two cell edges lie on a common face of the cell. */
  static boolean shareFace(int e0, int e1) {
    for (int[] face : FACE_CORNERS) {
      if (onFace(face, e0) && onFace(face, e1)) {
        return true;
      }
    }
    return false;
  }

  private static boolean onFace(int[] face, int edge) {
    int s = EDGE_START[edge];
    int t = s | 1 << EDGE_AXIS[edge];
    boolean hasS = false;
    boolean hasT = false;
    for (int c : face) {
      hasS |= c == s;
      hasT |= c == t;
    }
    return hasS && hasT;
  }

  private static int[] triangulate(int cube) {
    int[] next = new int[12];
    Arrays.fill(next, -1);
    for (int[] face : FACE_CORNERS) {
      for (int k = 0; k < 4; k++) {
        if (inside(cube, face[k]) || !inside(cube, face[(k + 1) % 4])) {
          continue;
        }
        int m = (k + 1) % 4;
        while (!(inside(cube, face[m]) && !inside(cube, face[(m + 1) % 4]))) {
          m = (m + 1) % 4;
        }
        next[edgeBetween(face[k], face[(k + 1) % 4])] = edgeBetween(face[m], face[(m + 1) % 4]);
      }
    }
    List<Integer> triangles = new ArrayList<>();
    boolean[] used = new boolean[12];
    for (int start = 0; start < 12; start++) {
      if (next[start] < 0 || used[start]) {
        continue;
      }
      List<Integer> loop = new ArrayList<>();
      for (int e = start; !used[e]; e = next[e]) {
        used[e] = true;
        loop.add(e);
      }
      int[] polygon = loop.stream().mapToInt(Integer::intValue).toArray();
      if (!split(polygon, 0, polygon.length - 1, triangles)) {
        throw new IllegalStateException("no face-free triangulation for case " + cube);
      }
    }
    return triangles.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Triangulates the sub-polygon from vertex i to vertex j (whose chord is already an edge),
   * choosing an apex whose two chords are polygon sides or face-free diagonals.
   */
  private static boolean split(int[] polygon, int i, int j, List<Integer> out) {
    if (j - i < 2) {
      return true;
    }
    for (int k = i + 1; k < j; k++) {
      if (chordAllowed(polygon, i, k) && chordAllowed(polygon, k, j)) {
        int mark = out.size();
        out.add(polygon[i]);
        out.add(polygon[k]);
        out.add(polygon[j]);
        if (split(polygon, i, k, out) && split(polygon, k, j, out)) {
          return true;
        }
        out.subList(mark, out.size()).clear();
      }
    }
    return false;
  }

  private static boolean chordAllowed(int[] polygon, int i, int j) {
    boolean side = j - i == 1 || (i == 0 && j == polygon.length - 1);
    return side || !shareFace(polygon[i], polygon[j]);
  }

  private static boolean inside(int cube, int corner) {
    return (cube >> corner & 1) != 0;
  }
}
