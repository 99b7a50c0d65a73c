package dev.kiln.worker.reconstruction.depth;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.function.DoubleConsumer;

/**
 * Back-projects a depth map into a coloured point cloud and a triangle mesh in the model frame
 * described in the package documentation.
 *
 * <p>Grid pixel (i, j) with depth z becomes camera point {@code X = (i - cx) z / fx}, {@code Y = (j
 * - cy) z / fy}, {@code Z = z}, then model point {@code (X, Z, -Y)}. Its uv is the centre of its
 * pixel in the normalised image, {@code ((i + 0.5) / w, (j + 0.5) / h)}, and its colour is the
 * colour-image pixel under that uv. why: the colour image is assumed to show the same view as the
 * depth map, so a colour image of another size is sampled at scaled coordinates rather than
 * rejected; uvs do not depend on its size at all.
 *
 * <p>Each 2x2 block of neighbouring pixels gives up to two triangles. A triangle is dropped, never
 * bridging a depth discontinuity, when {@code max(z) - min(z) > ratio * min(z) + step} over its
 * corners, with {@code step} the map's {@link DepthMap#stepMm() quantisation step}: the relative
 * part follows the geometry (ray spacing and sensor noise grow with depth), the step keeps rounding
 * alone from tearing a surface close to the camera. Of a block's two diagonals, the one keeping
 * more triangles is used, then the one whose ends differ less in depth.
 */
public final class DepthReconstruction {

  /**
   * @param pointCloud every valid depth sample with its colour; positions and colours only, no
   *     faces
   * @param mesh the triangulated surface with uvs and colours; only vertices some face uses. It has
   *     no faces when no block of neighbours survives, e.g. for isolated samples
   * @param validPixels samples with a depth in the grid, i.e. the point cloud's size
   * @param droppedTriangles triangles with three valid corners that were dropped because they
   *     bridged a depth discontinuity
   */
  public record Result(Mesh pointCloud, Mesh mesh, int validPixels, int droppedTriangles) {}

  private DepthReconstruction() {}

  /**
   * @param k intrinsics in the grid of {@code depth}, see {@link Intrinsics#resolve}
   * @param discontinuityRatio see {@link DepthParams#discontinuityRatio()}
   * @param progress receives the share done, 0..1, non-decreasing, ending with 1, or null; it may
   *     throw to cancel, and the exception propagates
   */
  public static Result build(
      DepthMap depth,
      BufferedImage colour,
      Intrinsics k,
      double discontinuityRatio,
      DoubleConsumer progress) {
    if (!(discontinuityRatio > 0 && discontinuityRatio <= 1)) {
      throw new IllegalArgumentException(
          "discontinuity_ratio must be greater than 0 and at most 1");
    }
    int w = depth.width();
    int h = depth.height();
    RowProgress rows = new RowProgress(progress, (h - 1) + h);
    GridTriangulation.Triangles triangles =
        GridTriangulation.triangulate(depth, discontinuityRatio, rows);

    int[] tri = triangles.grid();
    int[] meshIndex = new int[w * h];
    Arrays.fill(meshIndex, -1);
    for (int g : tri) {
      meshIndex[g] = 0;
    }
    int meshVertices = 0;
    for (int g = 0; g < meshIndex.length; g++) {
      if (meshIndex[g] == 0) {
        meshIndex[g] = ++meshVertices;
      }
    }
    for (int t = 0; t < tri.length; t++) {
      tri[t] = meshIndex[tri[t]] - 1;
    }

    int valid = depth.validCount();
    float[] cloudPos = new float[3 * valid];
    byte[] cloudRgb = new byte[3 * valid];
    float[] pos = new float[3 * meshVertices];
    float[] uv = new float[2 * meshVertices];
    byte[] rgb = new byte[3 * meshVertices];
    int[] colourColumn = new int[w];
    for (int i = 0; i < w; i++) {
      colourColumn[i] = scaled(i, w, colour.getWidth());
    }
    int[] colourRow = new int[colour.getWidth()];
    float[] z = depth.samples();
    int c = 0;
    for (int j = 0; j < h; j++) {
      // why: one row of colour at a time, so no second full-size copy of the image is made
      int colourY = scaled(j, h, colour.getHeight());
      colour.getRGB(0, colourY, colourRow.length, 1, colourRow, 0, colourRow.length);
      for (int i = 0; i < w; i++) {
        int g = j * w + i;
        double zi = z[g];
        if (zi != zi) {
          continue;
        }
        float x = (float) ((i - k.cx()) * zi / k.fx());
        float up = (float) (-(j - k.cy()) * zi / k.fy());
        int argb = colourRow[colourColumn[i]];
        put(cloudPos, cloudRgb, c++, x, (float) zi, up, argb);
        int m = meshIndex[g] - 1;
        if (m >= 0) {
          put(pos, rgb, m, x, (float) zi, up, argb);
          uv[2 * m] = (i + 0.5f) / w;
          uv[2 * m + 1] = (j + 0.5f) / h;
        }
      }
      rows.rowDone();
    }
    rows.finish();
    return new Result(
        new Mesh(cloudPos, null, cloudRgb, new int[0]),
        new Mesh(pos, uv, rgb, tri),
        valid,
        triangles.dropped());
  }

  /** Index of the pixel, among {@code to}, under the centre of pixel {@code i} of {@code from}. */
  private static int scaled(int i, int from, int to) {
    return Math.min(to - 1, (int) ((i + 0.5) * to / from));
  }

  private static void put(float[] pos, byte[] rgb, int v, float x, float y, float z, int argb) {
    pos[3 * v] = x;
    pos[3 * v + 1] = y;
    pos[3 * v + 2] = z;
    rgb[3 * v] = (byte) (argb >> 16);
    rgb[3 * v + 1] = (byte) (argb >> 8);
    rgb[3 * v + 2] = (byte) argb;
  }
}
