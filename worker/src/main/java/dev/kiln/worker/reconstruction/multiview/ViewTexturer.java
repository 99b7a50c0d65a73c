package dev.kiln.worker.reconstruction.multiview;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.function.IntFunction;

/**
 * Textures a mesh from the photographs that carved it: every face takes the colours of the view
 * that sees it best ({@link ViewSelection}), and the used part of each chosen view goes into one
 * atlas.
 *
 * <p>The atlas is a grid of equal cells, one per used view, each holding the bounding rectangle of
 * that view's faces (plus {@value #PAD} pixels so bilinear filtering at a face edge reads real
 * image, not the neighbouring cell), scaled down uniformly when the grid would exceed the atlas
 * limit and never scaled up. A face's uvs are its vertices projected into its view and mapped into
 * that view's cell. Faces of different views cannot share uvs, so the result has one vertex per
 * (vertex, view) pair: it keeps the faces and their order but is no longer watertight by index.
 */
public final class ViewTexturer {

  /**
   * @param mesh the input's faces in the same order, with split vertices and uvs
   * @param atlas RGB atlas the uvs point into (glTF convention, origin top-left)
   * @param viewsUsed number of views that got a cell in the atlas
   */
  public record Textured(Mesh mesh, BufferedImage atlas, int viewsUsed) {}

  static final int PAD = 2;
  static final int MIN_ATLAS_SIDE = 64;

  private ViewTexturer() {}

  /**
   * @param cameras one per view, in the order the supplier numbers them
   * @param views decodes view i on demand; each view is requested at most once, and only views some
   *     face uses, so no more than one decoded image is alive at a time
   * @param maxAtlasSide upper bound of the atlas width and height
   * @param progress receives 0..1, non-decreasing, per view in both phases; whatever it throws ends
   *     the texturing and propagates
   */
  public static Textured texture(
      Mesh mesh,
      List<Camera> cameras,
      IntFunction<BufferedImage> views,
      int maxAtlasSide,
      DoubleConsumer progress) {
    if (maxAtlasSide < MIN_ATLAS_SIDE) {
      throw new IllegalArgumentException("atlas side must be at least " + MIN_ATLAS_SIDE);
    }
    if (mesh.faceCount() == 0 || cameras.isEmpty()) {
      throw new IllegalArgumentException("texturing needs faces and at least one view");
    }
    DoubleConsumer report = progress == null ? p -> {} : progress;
    int[] faceView = ViewSelection.choose(mesh, cameras, p -> report.accept(0.5 * p));
    AtlasLayout layout = AtlasLayout.plan(mesh, cameras, faceView, PAD, maxAtlasSide);
    Mesh textured = split(mesh, cameras, faceView, layout);
    BufferedImage atlas =
        new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = atlas.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      int[] used = layout.views();
      for (int n = 0; n < used.length; n++) {
        int v = used[n];
        BufferedImage image = views.apply(v);
        Camera cam = cameras.get(v);
        if (image == null || image.getWidth() != cam.width() || image.getHeight() != cam.height()) {
          throw new IllegalArgumentException("view " + v + " does not match its camera's size");
        }
        AtlasLayout.Cell cell = layout.cell(v);
        BufferedImage crop =
            image.getSubimage(cell.cropX(), cell.cropY(), cell.cropW(), cell.cropH());
        drawScaled(g, crop, cell.tileX(), cell.tileY(), cell.tileW(), cell.tileH());
        report.accept(0.5 + 0.5 * (n + 1) / used.length);
      }
    } finally {
      g.dispose();
    }
    return new Textured(textured, atlas, layout.views().length);
  }

  /** Duplicates vertices per (vertex, view) pair and gives each copy its uv in the atlas. */
  private static Mesh split(Mesh mesh, List<Camera> cameras, int[] faceView, AtlasLayout layout) {
    int vertexCount = mesh.vertexCount();
    int[][] copyOf = new int[cameras.size()][];
    float[] pos = mesh.positions();
    int[] tri = mesh.triangles();
    int[] outTri = new int[tri.length];
    float[] outPos = new float[3 * vertexCount];
    float[] outUv = new float[2 * vertexCount];
    int count = 0;
    double[] uvw = new double[3];
    for (int f = 0; f < mesh.faceCount(); f++) {
      int v = faceView[f];
      if (copyOf[v] == null) {
        copyOf[v] = new int[vertexCount];
        Arrays.fill(copyOf[v], -1);
      }
      for (int k = 0; k < 3; k++) {
        int src = tri[3 * f + k];
        if (copyOf[v][src] < 0) {
          if (count == outUv.length / 2) {
            outPos = Arrays.copyOf(outPos, 6 * count);
            outUv = Arrays.copyOf(outUv, 4 * count);
          }
          System.arraycopy(pos, 3 * src, outPos, 3 * count, 3);
          boolean front =
              cameras.get(v).project(pos[3 * src], pos[3 * src + 1], pos[3 * src + 2], uvw);
          layout.uv(v, front ? uvw : null, outUv, 2 * count);
          copyOf[v][src] = count++;
        }
        outTri[3 * f + k] = copyOf[v][src];
      }
    }
    return new Mesh(
        Arrays.copyOf(outPos, 3 * count), Arrays.copyOf(outUv, 2 * count), null, outTri);
  }

  /**
   * Draws {@code src} into the given rectangle; large reductions go through successive halvings
   * first, because one bilinear step skips source pixels and aliases below half size.
   */
  private static void drawScaled(Graphics2D g, BufferedImage src, int x, int y, int w, int h) {
    BufferedImage current = src;
    while (current.getWidth() >= 2 * w && current.getHeight() >= 2 * h) {
      // why: rounding up keeps every source pixel, so the whole crop still maps onto the tile
      int hw = (current.getWidth() + 1) / 2;
      int hh = (current.getHeight() + 1) / 2;
      BufferedImage half = new BufferedImage(hw, hh, BufferedImage.TYPE_INT_RGB);
      Graphics2D hg = half.createGraphics();
      hg.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      hg.drawImage(current, 0, 0, hw, hh, null);
      hg.dispose();
      current = half;
    }
    g.drawImage(current, x, y, x + w, y + h, 0, 0, current.getWidth(), current.getHeight(), null);
  }
}
