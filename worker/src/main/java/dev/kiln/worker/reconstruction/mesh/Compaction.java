package dev.kiln.worker.reconstruction.mesh;

/** Turns the decimator's working arrays back into a compact {@link Mesh}. */
final class Compaction {

  private Compaction() {}

  static Mesh liveMesh(
      double[] pos, double[] uv, double[] rgb, boolean[] removed, int[] tri, int faces) {
    int n = removed.length;
    int facesBefore = tri.length / 3;
    int[] index = new int[n];
    int kept = 0;
    for (int v = 0; v < n; v++) {
      index[v] = removed[v] ? -1 : kept++;
    }
    float[] p = new float[3 * kept];
    float[] t = uv == null ? null : new float[2 * kept];
    byte[] c = rgb == null ? null : new byte[3 * kept];
    for (int v = 0; v < n; v++) {
      int i = index[v];
      if (i < 0) {
        continue;
      }
      for (int k = 0; k < 3; k++) {
        p[3 * i + k] = (float) pos[3 * v + k];
        if (c != null) {
          c[3 * i + k] = (byte) Math.round(rgb[3 * v + k]);
        }
      }
      if (t != null) {
        t[2 * i] = (float) uv[2 * v];
        t[2 * i + 1] = (float) uv[2 * v + 1];
      }
    }
    int[] out = new int[3 * faces];
    int o = 0;
    for (int f = 0; f < facesBefore; f++) {
      if (tri[3 * f] >= 0) {
        for (int k = 0; k < 3; k++) {
          out[o++] = index[tri[3 * f + k]];
        }
      }
    }
    return dropUnused(p, t, c, out);
  }

  /** Vertices left without faces (possible after relaxed collapses) are not worth exporting. */
  private static Mesh dropUnused(float[] p, float[] t, byte[] c, int[] tri) {
    int n = p.length / 3;
    boolean[] used = new boolean[n];
    for (int v : tri) {
      used[v] = true;
    }
    int[] index = new int[n];
    int kept = 0;
    for (int v = 0; v < n; v++) {
      index[v] = used[v] ? kept++ : -1;
    }
    if (kept == n) {
      return new Mesh(p, t, c, tri);
    }
    float[] p2 = new float[3 * kept];
    float[] t2 = t == null ? null : new float[2 * kept];
    byte[] c2 = c == null ? null : new byte[3 * kept];
    for (int v = 0; v < n; v++) {
      int i = index[v];
      if (i >= 0) {
        System.arraycopy(p, 3 * v, p2, 3 * i, 3);
        if (t2 != null) {
          System.arraycopy(t, 2 * v, t2, 2 * i, 2);
        }
        if (c2 != null) {
          System.arraycopy(c, 3 * v, c2, 3 * i, 3);
        }
      }
    }
    int[] tri2 = new int[tri.length];
    for (int i = 0; i < tri.length; i++) {
      tri2[i] = index[tri[i]];
    }
    return new Mesh(p2, t2, c2, tri2);
  }

  static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  static double[] unsigned(byte[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] & 0xff;
    }
    return out;
  }
}
