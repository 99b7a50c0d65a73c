package dev.kiln.worker.reconstruction.multiview;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.util.Arrays;

/** Nearest depth of a mesh per pixel of one view, at a reduced resolution, for occlusion tests. */
final class DepthBuffer {

  private final float[] depth;
  private final int width;
  private final int height;
  private final double scale;
  private final Camera camera;

  private DepthBuffer(Camera camera, int maxSide) {
    this.camera = camera;
    this.scale = Math.min(1.0, (double) maxSide / Math.max(camera.width(), camera.height()));
    this.width = Math.max(1, (int) Math.ceil(camera.width() * scale));
    this.height = Math.max(1, (int) Math.ceil(camera.height() * scale));
    this.depth = new float[width * height];
    Arrays.fill(depth, Float.POSITIVE_INFINITY);
  }

  /**
   * Renders the faces whose {@code facing} value is positive. On a closed mesh the first surface
   * along any ray faces the camera, so skipping the others loses nothing and halves the work.
   */
  static DepthBuffer render(Mesh mesh, Camera camera, double[] facing, int maxSide) {
    DepthBuffer buffer = new DepthBuffer(camera, maxSide);
    float[] pos = mesh.positions();
    int[] tri = mesh.triangles();
    double[] sx = new double[3];
    double[] sy = new double[3];
    double[] sw = new double[3];
    double[] uvw = new double[3];
    faces:
    for (int f = 0; f < mesh.faceCount(); f++) {
      if (facing[f] <= 0) {
        continue;
      }
      for (int k = 0; k < 3; k++) {
        int v = 3 * tri[3 * f + k];
        if (!camera.project(pos[v], pos[v + 1], pos[v + 2], uvw)) {
          continue faces;
        }
        sx[k] = uvw[0] * buffer.scale;
        sy[k] = uvw[1] * buffer.scale;
        sw[k] = uvw[2];
      }
      buffer.fill(sx, sy, sw);
    }
    return buffer;
  }

  /**
   * True when a point at image position (u, v) and the given depth is no more than {@code
   * tolerance} millimetres behind the nearest rendered surface there, and inside the image.
   */
  boolean visible(double u, double v, double pointDepth, double tolerance) {
    if (!(u >= 0 && v >= 0 && u < camera.width() && v < camera.height())) {
      return false;
    }
    int x = Math.min(width - 1, (int) (u * scale));
    int y = Math.min(height - 1, (int) (v * scale));
    return pointDepth <= depth[y * width + x] + tolerance;
  }

  /**
   * Scan-converts one triangle over the pixel centres it covers; 1/depth is linear in screen space,
   * so it is interpolated and inverted per pixel for a perspective-correct depth.
   */
  private void fill(double[] x, double[] y, double[] w) {
    double area = (x[1] - x[0]) * (y[2] - y[0]) - (x[2] - x[0]) * (y[1] - y[0]);
    if (area == 0) {
      return;
    }
    int x0 = Math.max(0, (int) Math.ceil(Math.min(x[0], Math.min(x[1], x[2])) - 0.5));
    int x1 = Math.min(width - 1, (int) Math.floor(Math.max(x[0], Math.max(x[1], x[2])) - 0.5));
    int y0 = Math.max(0, (int) Math.ceil(Math.min(y[0], Math.min(y[1], y[2])) - 0.5));
    int y1 = Math.min(height - 1, (int) Math.floor(Math.max(y[0], Math.max(y[1], y[2])) - 0.5));
    for (int py = y0; py <= y1; py++) {
      double cy = py + 0.5;
      for (int px = x0; px <= x1; px++) {
        double cx = px + 0.5;
        double b0 = ((x[1] - cx) * (y[2] - cy) - (x[2] - cx) * (y[1] - cy)) / area;
        double b1 = ((x[2] - cx) * (y[0] - cy) - (x[0] - cx) * (y[2] - cy)) / area;
        double b2 = 1 - b0 - b1;
        if (b0 < 0 || b1 < 0 || b2 < 0) {
          continue;
        }
        double d = 1 / (b0 / w[0] + b1 / w[1] + b2 / w[2]);
        int i = py * width + px;
        if (d < depth[i]) {
          depth[i] = (float) d;
        }
      }
    }
  }
}
