package dev.kiln.worker.reconstruction.mesh;

import java.util.HashMap;
import java.util.Map;

/**
 * Indexed triangle mesh in millimetres, Z up. UVs follow the glTF convention (origin at the image's
 * top-left, v downwards); writers for other conventions convert. Arrays are owned by the mesh and
 * must not be changed after construction.
 */
public final class Mesh {

  private final float[] positions;
  private final float[] uvs;
  private final byte[] colors;
  private final int[] triangles;

  /**
   * @param positions x,y,z per vertex
   * @param uvs u,v per vertex, or null
   * @param colors r,g,b per vertex (unsigned bytes), or null
   * @param triangles three vertex indices per face, counter-clockwise seen from outside
   */
  public Mesh(float[] positions, float[] uvs, byte[] colors, int[] triangles) {
    if (positions.length % 3 != 0 || triangles.length % 3 != 0) {
      throw new IllegalArgumentException("positions and triangles must come in triples");
    }
    int n = positions.length / 3;
    if (uvs != null && uvs.length != 2 * n) {
      throw new IllegalArgumentException("need one uv pair per vertex");
    }
    if (colors != null && colors.length != 3 * n) {
      throw new IllegalArgumentException("need one rgb triple per vertex");
    }
    for (int index : triangles) {
      if (index < 0 || index >= n) {
        throw new IllegalArgumentException("triangle refers to missing vertex " + index);
      }
    }
    this.positions = positions;
    this.uvs = uvs;
    this.colors = colors;
    this.triangles = triangles;
  }

  public int vertexCount() {
    return positions.length / 3;
  }

  public int faceCount() {
    return triangles.length / 3;
  }

  public float[] positions() {
    return positions;
  }

  public float[] uvs() {
    return uvs;
  }

  public byte[] colors() {
    return colors;
  }

  public int[] triangles() {
    return triangles;
  }

  public boolean hasUvs() {
    return uvs != null;
  }

  public boolean hasColors() {
    return colors != null;
  }

  /** Axis-aligned bounds of the vertices; zero-size at the origin for an empty mesh. */
  public Bounds bounds() {
    if (vertexCount() == 0) {
      return new Bounds(new float[3], new float[3]);
    }
    float[] min = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
    float[] max = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
    for (int i = 0; i < positions.length; i += 3) {
      for (int k = 0; k < 3; k++) {
        min[k] = Math.min(min[k], positions[i + k]);
        max[k] = Math.max(max[k], positions[i + k]);
      }
    }
    return new Bounds(min, max);
  }

  /**
   * True when every edge is used by exactly two faces in opposite directions, i.e. the surface is
   * closed and consistently oriented. Degenerate faces (a repeated index) make it false.
   */
  public boolean isWatertight() {
    if (faceCount() == 0) {
      return false;
    }
    // why: counting directed edges covers both conditions at once; an edge used twice in the same
    // direction (flipped neighbour) or by three faces shows up as a directed count above one
    Map<Long, Integer> directed = new HashMap<>(triangles.length * 2);
    for (int f = 0; f < triangles.length; f += 3) {
      for (int k = 0; k < 3; k++) {
        int a = triangles[f + k];
        int b = triangles[f + (k + 1) % 3];
        if (a == b) {
          return false;
        }
        if (directed.merge(edgeKey(a, b), 1, Integer::sum) > 1) {
          return false;
        }
      }
    }
    for (Long key : directed.keySet()) {
      int a = (int) (key >>> 32);
      int b = (int) (long) key;
      if (!directed.containsKey(edgeKey(b, a))) {
        return false;
      }
    }
    return true;
  }

  public double surfaceArea() {
    double area = 0;
    double[] n = new double[3];
    for (int f = 0; f < faceCount(); f++) {
      faceNormal(f, n);
      area += 0.5 * Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    }
    return area;
  }

  /**
   * Signed volume by the divergence theorem; positive for a closed mesh whose faces point outwards.
   * Meaningless for open meshes.
   */
  public double volume() {
    double sixTimes = 0;
    for (int f = 0; f < triangles.length; f += 3) {
      int a = 3 * triangles[f];
      int b = 3 * triangles[f + 1];
      int c = 3 * triangles[f + 2];
      double ax = positions[a], ay = positions[a + 1], az = positions[a + 2];
      double bx = positions[b], by = positions[b + 1], bz = positions[b + 2];
      double cx = positions[c], cy = positions[c + 1], cz = positions[c + 2];
      sixTimes += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
    }
    return sixTimes / 6.0;
  }

  /** Unnormalised face normal (length = twice the area) into {@code out}. */
  public void faceNormal(int face, double[] out) {
    int a = 3 * triangles[3 * face];
    int b = 3 * triangles[3 * face + 1];
    int c = 3 * triangles[3 * face + 2];
    double ux = positions[b] - positions[a];
    double uy = positions[b + 1] - positions[a + 1];
    double uz = positions[b + 2] - positions[a + 2];
    double vx = positions[c] - positions[a];
    double vy = positions[c + 1] - positions[a + 1];
    double vz = positions[c + 2] - positions[a + 2];
    out[0] = uy * vz - uz * vy;
    out[1] = uz * vx - ux * vz;
    out[2] = ux * vy - uy * vx;
  }

  /**
   * Area-weighted unit vertex normals. A vertex without any non-degenerate face gets +Z so that
   * every normal is unit length, which glTF requires.
   */
  public float[] vertexNormals() {
    double[] sum = new double[positions.length];
    double[] n = new double[3];
    for (int f = 0; f < faceCount(); f++) {
      faceNormal(f, n);
      for (int k = 0; k < 3; k++) {
        int v = 3 * triangles[3 * f + k];
        sum[v] += n[0];
        sum[v + 1] += n[1];
        sum[v + 2] += n[2];
      }
    }
    float[] normals = new float[positions.length];
    for (int v = 0; v < positions.length; v += 3) {
      double len = Math.sqrt(sum[v] * sum[v] + sum[v + 1] * sum[v + 1] + sum[v + 2] * sum[v + 2]);
      if (len < 1e-20) {
        normals[v + 2] = 1f;
      } else {
        normals[v] = (float) (sum[v] / len);
        normals[v + 1] = (float) (sum[v + 1] / len);
        normals[v + 2] = (float) (sum[v + 2] / len);
      }
    }
    return normals;
  }

  private static long edgeKey(int a, int b) {
    return ((long) a << 32) | (b & 0xffffffffL);
  }

  /** Axis-aligned bounding box. */
  public record Bounds(float[] min, float[] max) {
    public double size(int axis) {
      return max[axis] - min[axis];
    }

    public double diagonal() {
      return Math.sqrt(size(0) * size(0) + size(1) * size(1) + size(2) * size(2));
    }
  }
}
