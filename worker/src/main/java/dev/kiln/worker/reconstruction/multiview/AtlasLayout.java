package dev.kiln.worker.reconstruction.multiview;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.util.List;

/**
 * Where each used view's crop goes in the texture atlas: a grid of equal cells, about square in
 * count, filled in view order.
 */
final class AtlasLayout {

  /**
   * A view's crop rectangle in its image and the tile it is drawn to in the atlas, in pixels. Tiles
   * are the crops scaled by one common factor, so texel density is the same in every tile.
   */
  record Cell(
      int cropX, int cropY, int cropW, int cropH, int tileX, int tileY, int tileW, int tileH) {}

  private final int width;
  private final int height;
  private final int[] views;
  private final Cell[] cells;

  private AtlasLayout(int width, int height, int[] views, Cell[] cells) {
    this.width = width;
    this.height = height;
    this.views = views;
    this.cells = cells;
  }

  /**
   * @param faceView view chosen per face
   * @param pad pixels added around each view's crop
   */
  static AtlasLayout plan(Mesh mesh, List<Camera> cameras, int[] faceView, int pad, int maxSide) {
    int n = cameras.size();
    double[][] bounds = new double[n][];
    float[] pos = mesh.positions();
    int[] tri = mesh.triangles();
    double[] uvw = new double[3];
    for (int f = 0; f < mesh.faceCount(); f++) {
      int v = faceView[f];
      if (bounds[v] == null) {
        bounds[v] =
            new double[] {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
      }
      for (int k = 0; k < 3; k++) {
        int p = 3 * tri[3 * f + k];
        if (cameras.get(v).project(pos[p], pos[p + 1], pos[p + 2], uvw)) {
          bounds[v][0] = Math.min(bounds[v][0], uvw[0]);
          bounds[v][1] = Math.min(bounds[v][1], uvw[1]);
          bounds[v][2] = Math.max(bounds[v][2], uvw[0]);
          bounds[v][3] = Math.max(bounds[v][3], uvw[1]);
        }
      }
    }
    int used = 0;
    int[][] crops = new int[n][];
    int cellW = 1;
    int cellH = 1;
    for (int v = 0; v < n; v++) {
      if (bounds[v] != null) {
        used++;
        crops[v] = crop(bounds[v], cameras.get(v), pad);
        cellW = Math.max(cellW, crops[v][2]);
        cellH = Math.max(cellH, crops[v][3]);
      }
    }
    int cols = (int) Math.ceil(Math.sqrt(used));
    int rows = (used + cols - 1) / cols;
    double scale =
        Math.min(
            1.0, Math.min((double) maxSide / (cols * cellW), (double) maxSide / (rows * cellH)));
    int stepX = Math.max(1, (int) Math.floor(cellW * scale));
    int stepY = Math.max(1, (int) Math.floor(cellH * scale));
    int[] order = new int[used];
    Cell[] cells = new Cell[n];
    int slot = 0;
    for (int v = 0; v < n; v++) {
      if (crops[v] == null) {
        continue;
      }
      int[] c = crops[v];
      cells[v] =
          new Cell(
              c[0],
              c[1],
              c[2],
              c[3],
              (slot % cols) * stepX,
              (slot / cols) * stepY,
              Math.max(1, Math.min(stepX, (int) Math.floor(c[2] * scale))),
              Math.max(1, Math.min(stepY, (int) Math.floor(c[3] * scale))));
      order[slot++] = v;
    }
    return new AtlasLayout(cols * stepX, rows * stepY, order, cells);
  }

  /** The padded integer pixel rectangle x, y, w, h around projected bounds, inside the image. */
  private static int[] crop(double[] b, Camera camera, int pad) {
    if (b[0] > b[2]) {
      // why: every vertex was behind the camera (a face only ever seen edge-on from behind);
      // any rectangle will do, the uvs are clamped into it
      return new int[] {0, 0, camera.width(), camera.height()};
    }
    int x0 = clamp((int) Math.floor(b[0]) - pad, 0, camera.width() - 1);
    int y0 = clamp((int) Math.floor(b[1]) - pad, 0, camera.height() - 1);
    int x1 = clamp((int) Math.ceil(b[2]) + pad, x0 + 1, camera.width());
    int y1 = clamp((int) Math.ceil(b[3]) + pad, y0 + 1, camera.height());
    return new int[] {x0, y0, x1 - x0, y1 - y0};
  }

  private static int clamp(int value, int lo, int hi) {
    return Math.max(lo, Math.min(hi, value));
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** The used views in atlas order. */
  int[] views() {
    return views.clone();
  }

  Cell cell(int view) {
    return cells[view];
  }

  /**
   * Writes the atlas uv of an image point of the given view, clamped into its crop.
   *
   * @param uvw projected point, or null when it is behind the camera (maps to the crop's centre)
   */
  void uv(int view, double[] uvw, float[] out, int at) {
    Cell c = cells[view];
    double u = uvw == null ? c.cropX() + 0.5 * c.cropW() : uvw[0];
    double v = uvw == null ? c.cropY() + 0.5 * c.cropH() : uvw[1];
    u = Math.max(c.cropX(), Math.min(c.cropX() + c.cropW(), u));
    v = Math.max(c.cropY(), Math.min(c.cropY() + c.cropH(), v));
    double ax = c.tileX() + (u - c.cropX()) * c.tileW() / c.cropW();
    double ay = c.tileY() + (v - c.cropY()) * c.tileH() / c.cropH();
    out[at] = (float) (ax / width);
    out[at + 1] = (float) (ay / height);
  }
}
