package dev.kiln.worker.reconstruction.mesh;

import java.util.Arrays;

/**
 * Triangles plus vertex-to-face lists that change as edges collapse. Removed faces keep their slot
 * with a first index of -1 so face ids stay stable for the lists that still mention them.
 */
final class FaceAdjacency {

  final int[] tri;
  private final int[][] vf;
  private final int[] vfSize;
  private final int[] mark;
  private final int[] mark2;
  private final int[] faceMark;
  private int generation;
  private int[] scratch = new int[64];

  FaceAdjacency(int vertexCount, int[] triangles) {
    tri = triangles;
    vfSize = new int[vertexCount];
    for (int v : tri) {
      vfSize[v]++;
    }
    vf = new int[vertexCount][];
    for (int v = 0; v < vertexCount; v++) {
      vf[v] = new int[Math.max(4, vfSize[v])];
      vfSize[v] = 0;
    }
    for (int i = 0; i < tri.length; i++) {
      int v = tri[i];
      vf[v][vfSize[v]++] = i / 3;
    }
    mark = new int[vertexCount];
    mark2 = new int[vertexCount];
    faceMark = new int[tri.length / 3];
  }

  int faceSlots() {
    return tri.length / 3;
  }

  boolean alive(int f) {
    return tri[3 * f] >= 0;
  }

  void kill(int f) {
    tri[3 * f] = -1;
  }

  /** Number of entries in v's face list; equals its live faces once {@link #compact} ran. */
  int degree(int v) {
    return vfSize[v];
  }

  int face(int v, int i) {
    return vf[v][i];
  }

  void clear(int v) {
    vfSize[v] = 0;
  }

  boolean contains(int f, int v) {
    return tri[3 * f] == v || tri[3 * f + 1] == v || tri[3 * f + 2] == v;
  }

  void addFace(int v, int f) {
    if (vfSize[v] == vf[v].length) {
      vf[v] = Arrays.copyOf(vf[v], vf[v].length * 2);
    }
    vf[v][vfSize[v]++] = f;
  }

  /** Drops removed faces and duplicates from a vertex's face list. */
  void compact(int v) {
    generation++;
    int kept = 0;
    for (int i = 0; i < vfSize[v]; i++) {
      int f = vf[v][i];
      if (alive(f) && faceMark[f] != generation) {
        faceMark[f] = generation;
        vf[v][kept++] = f;
      }
    }
    vfSize[v] = kept;
  }

  int sharedFaces(int a, int b) {
    int count = 0;
    for (int i = 0; i < vfSize[a]; i++) {
      int f = vf[a][i];
      if (alive(f) && contains(f, b)) {
        count++;
      }
    }
    return count;
  }

  /** Vertices adjacent to both a and b; the link condition wants this to equal the shared faces. */
  int commonNeighbours(int a, int b) {
    generation++;
    for (int i = 0; i < vfSize[a]; i++) {
      int f = vf[a][i];
      for (int k = 0; alive(f) && k < 3; k++) {
        mark[tri[3 * f + k]] = generation;
      }
    }
    int common = 0;
    for (int i = 0; i < vfSize[b]; i++) {
      int f = vf[b][i];
      for (int k = 0; alive(f) && k < 3; k++) {
        int v = tri[3 * f + k];
        if (v != a && v != b && mark[v] == generation && mark2[v] != generation) {
          mark2[v] = generation;
          common++;
        }
      }
    }
    return common;
  }

  /** A vertex is on the boundary when one of its edges belongs to a single face. */
  boolean isBoundaryVertex(int v) {
    if (scratch.length < 2 * vfSize[v]) {
      scratch = new int[4 * vfSize[v]];
    }
    int count = 0;
    for (int i = 0; i < vfSize[v]; i++) {
      int f = vf[v][i];
      for (int k = 0; alive(f) && k < 3; k++) {
        if (tri[3 * f + k] != v) {
          scratch[count++] = tri[3 * f + k];
        }
      }
    }
    Arrays.sort(scratch, 0, count);
    for (int i = 0; i < count; ) {
      int j = i;
      while (j < count && scratch[j] == scratch[i]) {
        j++;
      }
      if (j - i == 1) {
        return true;
      }
      i = j;
    }
    return false;
  }
}
