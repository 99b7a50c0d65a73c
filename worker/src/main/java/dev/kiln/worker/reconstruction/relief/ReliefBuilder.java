package dev.kiln.worker.reconstruction.relief;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.awt.image.BufferedImage;

/**
 * Turns an image into a closed bas-relief solid: a top surface with one vertex per pixel, a flat
 * bottom at z = 0 and vertical walls joining them along the image border. Sharing the border
 * vertices between top, walls and bottom is what makes the mesh watertight by index.
 */
public final class ReliefBuilder {

  private ReliefBuilder() {}

  public static Mesh build(BufferedImage image, ReliefParams params) {
    HeightField field =
        HeightField.fromImage(image, params.invert(), params.smoothingRadius(), params.smoothing());
    return build(field, image, params);
  }

  /**
   * @param image source of the per-vertex colours; may be null
   */
  public static Mesh build(HeightField field, BufferedImage image, ReliefParams params) {
    int w = field.width();
    int h = field.height();
    if (w < 2 || h < 2) {
      throw new IllegalArgumentException("relief needs an image of at least 2x2 pixels");
    }
    double depthMm = params.widthMm() * h / w;
    double sx = params.widthMm() / (w - 1);
    double sy = depthMm / (h - 1);
    int[] ring = perimeter(w, h);
    int top = w * h;
    int vertexCount = top + ring.length + 1;
    float[] pos = new float[3 * vertexCount];
    float[] uv = new float[2 * vertexCount];
    byte[] rgb = new byte[3 * vertexCount];
    int[] argb = image == null ? null : image.getRGB(0, 0, w, h, null, 0, w);

    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = y * w + x;
        // why: image row 0 goes to the largest y so the relief reads correctly seen from +z
        setVertex(
            pos,
            v,
            x * sx,
            (h - 1 - y) * sy,
            params.baseMm() + field.at(x, y) * params.maxHeightMm());
        uv[2 * v] = (x + 0.5f) / w;
        uv[2 * v + 1] = (y + 0.5f) / h;
        setColor(rgb, v, argb == null ? 0xffc8c8c8 : argb[v]);
      }
    }
    for (int k = 0; k < ring.length; k++) {
      int src = ring[k];
      int dst = top + k;
      setVertex(pos, dst, pos[3 * src], pos[3 * src + 1], 0);
      uv[2 * dst] = uv[2 * src];
      uv[2 * dst + 1] = uv[2 * src + 1];
      System.arraycopy(rgb, 3 * src, rgb, 3 * dst, 3);
    }
    int centre = top + ring.length;
    setVertex(pos, centre, params.widthMm() / 2, depthMm / 2, 0);
    uv[2 * centre] = 0.5f;
    uv[2 * centre + 1] = 0.5f;
    setColor(rgb, centre, argb == null ? 0xffc8c8c8 : argb[(h / 2) * w + w / 2]);

    int faceCount = 2 * (w - 1) * (h - 1) + 3 * ring.length;
    int[] tri = new int[3 * faceCount];
    int t = 0;
    for (int y = 1; y < h; y++) {
      for (int x = 0; x < w - 1; x++) {
        int bl = y * w + x;
        int br = bl + 1;
        int tl = bl - w;
        int tr = tl + 1;
        t = put(tri, t, bl, br, tr);
        t = put(tri, t, bl, tr, tl);
      }
    }
    for (int k = 0; k < ring.length; k++) {
      int next = (k + 1) % ring.length;
      int tk = ring[k];
      int tn = ring[next];
      int bk = top + k;
      int bn = top + next;
      t = put(tri, t, tn, tk, bk);
      t = put(tri, t, tn, bk, bn);
      t = put(tri, t, centre, bn, bk);
    }
    return new Mesh(pos, uv, rgb, tri);
  }

  /** Border pixels counter-clockwise seen from +z, starting at the image's bottom-left. */
  static int[] perimeter(int w, int h) {
    int[] ring = new int[2 * (w + h) - 4];
    int k = 0;
    for (int x = 0; x < w; x++) {
      ring[k++] = (h - 1) * w + x;
    }
    for (int y = h - 2; y >= 0; y--) {
      ring[k++] = y * w + (w - 1);
    }
    for (int x = w - 2; x >= 0; x--) {
      ring[k++] = x;
    }
    for (int y = 1; y < h - 1; y++) {
      ring[k++] = y * w;
    }
    return ring;
  }

  private static void setVertex(float[] pos, int v, double x, double y, double z) {
    pos[3 * v] = (float) x;
    pos[3 * v + 1] = (float) y;
    pos[3 * v + 2] = (float) z;
  }

  private static void setColor(byte[] rgb, int v, int argb) {
    rgb[3 * v] = (byte) (argb >> 16);
    rgb[3 * v + 1] = (byte) (argb >> 8);
    rgb[3 * v + 2] = (byte) argb;
  }

  private static int put(int[] tri, int t, int a, int b, int c) {
    tri[t] = a;
    tri[t + 1] = b;
    tri[t + 2] = c;
    return t + 3;
  }
}
