package dev.kiln.worker.reconstruction.mesh;

/** Meshes the tests build themselves. */
public final class TestMeshes {

  private TestMeshes() {}

  /** Axis-aligned box from the origin to (sx, sy, sz), outward-facing. */
  public static Mesh box(float sx, float sy, float sz) {
    float[] p = {
      0, 0, 0, sx, 0, 0, sx, sy, 0, 0, sy, 0, 0, 0, sz, sx, 0, sz, sx, sy, sz, 0, sy, sz
    };
    int[] t = {
      0, 2, 1, 0, 3, 2, // bottom
      4, 5, 6, 4, 6, 7, // top
      0, 1, 5, 0, 5, 4, // front
      1, 2, 6, 1, 6, 5, // right
      2, 3, 7, 2, 7, 6, // back
      3, 0, 4, 3, 4, 7 // left
    };
    return new Mesh(p, null, null, t);
  }

  /** Flat open grid of n x n quads in the z = 0 plane spanning size x size, facing +z. */
  public static Mesh plane(int n, float size) {
    int side = n + 1;
    float[] p = new float[3 * side * side];
    float[] uv = new float[2 * side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int v = y * side + x;
        p[3 * v] = size * x / n;
        p[3 * v + 1] = size * y / n;
        uv[2 * v] = (float) x / n;
        uv[2 * v + 1] = (float) y / n;
      }
    }
    int[] t = new int[6 * n * n];
    int k = 0;
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        int a = y * side + x;
        int b = a + 1;
        int c = a + side + 1;
        int d = a + side;
        t[k++] = a;
        t[k++] = b;
        t[k++] = c;
        t[k++] = a;
        t[k++] = c;
        t[k++] = d;
      }
    }
    return new Mesh(p, uv, null, t);
  }
}
