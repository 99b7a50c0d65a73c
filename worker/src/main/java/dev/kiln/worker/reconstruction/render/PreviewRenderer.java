package dev.kiln.worker.reconstruction.render;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Software preview: orthographic camera above and in front of the model, framing its bounding
 * sphere, z-buffered triangles with Lambert shading of vertex colours. No AWT graphics pipeline, so
 * it runs headless and gives the same pixels everywhere.
 */
public final class PreviewRenderer {

  public static final int SIZE = 512;
  public static final int BACKGROUND = 0xff20242a;

  /** Direction from the model towards the camera (Z up): above, slightly front-left. */
  private static final double[] VIEW = normalise(-0.35, -0.6, 1.0);

  /** Light comes from over the camera's shoulder so walls facing it are lit, others shaded. */
  private static final double[] LIGHT = normalise(-0.6, -0.4, 1.0);

  private static final double AMBIENT = 0.25;
  private static final int GREY = 200;

  private PreviewRenderer() {}

  public static BufferedImage render(Mesh mesh) {
    int[] pixels = new int[SIZE * SIZE];
    Arrays.fill(pixels, BACKGROUND);
    double[] depth = new double[SIZE * SIZE];
    Arrays.fill(depth, Double.POSITIVE_INFINITY);
    if (mesh.faceCount() > 0) {
      draw(mesh, pixels, depth);
    }
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, SIZE, SIZE, pixels, 0, SIZE);
    return image;
  }

  private static void draw(Mesh mesh, int[] pixels, double[] depth) {
    Mesh.Bounds b = mesh.bounds();
    double[] centre = new double[3];
    for (int k = 0; k < 3; k++) {
      centre[k] = (b.min()[k] + b.max()[k]) / 2.0;
    }
    double radius = Math.max(b.diagonal() / 2, 1e-9);
    double[] forward = {-VIEW[0], -VIEW[1], -VIEW[2]};
    double[] right = normalise(cross(forward, new double[] {0, 0, 1}));
    double[] up = cross(right, forward);
    // why: the bounding sphere fills 90 % of the frame whatever the orientation of the model
    double scale = SIZE * 0.45 / radius;

    float[] p = mesh.positions();
    int n = mesh.vertexCount();
    double[] sx = new double[n];
    double[] sy = new double[n];
    double[] sz = new double[n];
    for (int v = 0; v < n; v++) {
      double x = p[3 * v] - centre[0];
      double y = p[3 * v + 1] - centre[1];
      double z = p[3 * v + 2] - centre[2];
      sx[v] = SIZE / 2.0 + scale * (x * right[0] + y * right[1] + z * right[2]);
      sy[v] = SIZE / 2.0 - scale * (x * up[0] + y * up[1] + z * up[2]);
      sz[v] = x * forward[0] + y * forward[1] + z * forward[2];
    }
    int[] t = mesh.triangles();
    byte[] colors = mesh.colors();
    double[] normal = new double[3];
    for (int f = 0; f < mesh.faceCount(); f++) {
      mesh.faceNormal(f, normal);
      double len = Math.sqrt(dot(normal, normal));
      if (len == 0) {
        continue;
      }
      // why: abs so open meshes seen from behind are still lit; closed ones hide back faces anyway
      double light = AMBIENT + (1 - AMBIENT) * Math.abs(dot(normal, LIGHT)) / len;
      int a = t[3 * f];
      int c1 = t[3 * f + 1];
      int c2 = t[3 * f + 2];
      int rgb = shade(colors, a, c1, c2, light);
      fill(sx, sy, sz, a, c1, c2, rgb, pixels, depth);
    }
  }

  private static int shade(byte[] colors, int a, int b, int c, double light) {
    int rgb = 0;
    for (int k = 0; k < 3; k++) {
      double channel =
          colors == null
              ? GREY
              : ((colors[3 * a + k] & 0xff)
                      + (colors[3 * b + k] & 0xff)
                      + (colors[3 * c + k] & 0xff))
                  / 3.0;
      rgb = (rgb << 8) | (int) Math.min(255, Math.round(channel * light));
    }
    return 0xff000000 | rgb;
  }

  /** Edge-function rasteriser sampling pixel centres, depth interpolated barycentrically. */
  private static void fill(
      double[] sx, double[] sy, double[] sz, int a, int b, int c, int rgb, int[] px, double[] zb) {
    double area = (sx[b] - sx[a]) * (sy[c] - sy[a]) - (sy[b] - sy[a]) * (sx[c] - sx[a]);
    if (Math.abs(area) < 1e-12) {
      return;
    }
    int minX = Math.max(0, (int) Math.floor(Math.min(sx[a], Math.min(sx[b], sx[c]))));
    int maxX = Math.min(SIZE - 1, (int) Math.ceil(Math.max(sx[a], Math.max(sx[b], sx[c]))));
    int minY = Math.max(0, (int) Math.floor(Math.min(sy[a], Math.min(sy[b], sy[c]))));
    int maxY = Math.min(SIZE - 1, (int) Math.ceil(Math.max(sy[a], Math.max(sy[b], sy[c]))));
    for (int y = minY; y <= maxY; y++) {
      double cy = y + 0.5;
      for (int x = minX; x <= maxX; x++) {
        double cx = x + 0.5;
        double w0 = ((sx[b] - cx) * (sy[c] - cy) - (sy[b] - cy) * (sx[c] - cx)) / area;
        double w1 = ((sx[c] - cx) * (sy[a] - cy) - (sy[c] - cy) * (sx[a] - cx)) / area;
        double w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) {
          continue;
        }
        double z = w0 * sz[a] + w1 * sz[b] + w2 * sz[c];
        int i = y * SIZE + x;
        if (z < zb[i]) {
          zb[i] = z;
          px[i] = rgb;
        }
      }
    }
  }

  private static double dot(double[] u, double[] v) {
    return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  }

  private static double[] cross(double[] u, double[] v) {
    return new double[] {
      u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]
    };
  }

  private static double[] normalise(double... v) {
    double len = Math.sqrt(dot(v, v));
    return new double[] {v[0] / len, v[1] / len, v[2] / len};
  }
}
