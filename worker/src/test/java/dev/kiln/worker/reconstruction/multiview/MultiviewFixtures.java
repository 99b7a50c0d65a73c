package dev.kiln.worker.reconstruction.multiview;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.mesh.TestMeshes;
import dev.kiln.worker.reconstruction.multiview.TestShapes.Cube;
import dev.kiln.worker.reconstruction.multiview.TestShapes.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/** Synthetic captures with a known truth: turntable rings, ray-cast views and overlap measures. */
public final class MultiviewFixtures {

  public static final int WIDTH = 640;
  public static final int HEIGHT = 480;
  public static final double DISTANCE = 300;
  public static final double FOV = 40;
  public static final int BACKGROUND = 0xf0f0f0;

  private MultiviewFixtures() {}

  /**
   * Turntable cameras evenly spaced in angle, each taking the next elevation of the list in turn,
   * so that with elevations ±20° the views alternate between looking down and looking up.
   */
  public static List<Camera> ring(int views, double... elevations) {
    List<Camera> cameras = new ArrayList<>();
    for (int v = 0; v < views; v++) {
      cameras.add(
          Camera.turntable(
              360.0 * v / views, DISTANCE, FOV, elevations[v % elevations.length], WIDTH, HEIGHT));
    }
    return cameras;
  }

  /** Ray casts the shape through every pixel centre on a plain background. */
  public static BufferedImage render(Shape shape, Camera camera) {
    int w = camera.width();
    int h = camera.height();
    double[] m = camera.matrix();
    double[] inv = inverse3(m);
    double[] o = camera.centre();
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double[] d = new double[3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = x + 0.5;
        double v = y + 0.5;
        for (int r = 0; r < 3; r++) {
          d[r] = inv[3 * r] * u + inv[3 * r + 1] * v + inv[3 * r + 2];
        }
        int c = shape.colourAlong(o, d);
        image.setRGB(x, y, c < 0 ? BACKGROUND : c);
      }
    }
    return image;
  }

  /** Image supplier that renders view i on demand, as a decoder would hand it over. */
  public static IntFunction<BufferedImage> views(Shape shape, List<Camera> cameras) {
    return i -> render(shape, cameras.get(i));
  }

  /** The cube as 12 outward triangles on 8 shared vertices. */
  public static Mesh cubeMesh(Cube cube) {
    return boxMesh(cube.side(), cube.angleDeg(), 0, 0, 0);
  }

  /** A box of the given side turned about Z and moved to (cx, cy, cz), 12 outward triangles. */
  public static Mesh boxMesh(double side, double angleDeg, double cx, double cy, double cz) {
    Mesh box = TestMeshes.box((float) side, (float) side, (float) side);
    float[] p = box.positions().clone();
    double a = Math.toRadians(angleDeg);
    for (int v = 0; v < p.length; v += 3) {
      double x = p[v] - side / 2;
      double y = p[v + 1] - side / 2;
      p[v] = (float) (cx + Math.cos(a) * x - Math.sin(a) * y);
      p[v + 1] = (float) (cy + Math.sin(a) * x + Math.cos(a) * y);
      p[v + 2] = (float) (cz + p[v + 2] - side / 2);
    }
    return new Mesh(p, null, null, box.triangles());
  }

  /** Renders and segments one view at a time, keeping only the masks. */
  public static List<Mask> silhouettes(Shape shape, List<Camera> cameras) {
    return cameras.stream().map(c -> Silhouette.segment(render(shape, c))).toList();
  }

  /** Volume overlap of the grid's voxels and the shape, sampled on a lattice of the given step. */
  public static double gridIou(VoxelGrid grid, Shape shape, double step) {
    double size = grid.voxelSizeMm();
    double[] origin = {grid.x(0) - size / 2, grid.y(0) - size / 2, grid.z(0) - size / 2};
    return iou(
        shape,
        step,
        (x, y, z) ->
            grid.get(
                (int) Math.floor((x - origin[0]) / size),
                (int) Math.floor((y - origin[1]) / size),
                (int) Math.floor((z - origin[2]) / size)));
  }

  /** Volume overlap of the grid's voxels and the exact visual hull they sample. */
  public static double hullIou(VoxelGrid grid, VisualHull hull, Shape around, double step) {
    Shape truth =
        new Shape() {
          @Override
          public boolean contains(double x, double y, double z) {
            return hull.contains(x, y, z);
          }

          @Override
          public int colourAlong(double[] o, double[] d) {
            throw new UnsupportedOperationException();
          }

          @Override
          public double reach() {
            return around.reach();
          }
        };
    return gridIou(grid, truth, step);
  }

  /**
   * Volume overlap of a closed mesh and the shape: each vertical lattice line is cut by the mesh's
   * triangles, and a lattice point is inside where it lies between an odd and an even crossing.
   */
  public static double meshIou(Mesh mesh, Shape shape, double step) {
    double reach = shape.reach() + 10;
    int n = (int) Math.ceil(2 * reach / step);
    double start = -reach + 0.317 * step;
    double[][] crossings = new double[n * n][];
    int[] counts = new int[n * n];
    float[] p = mesh.positions();
    int[] t = mesh.triangles();
    for (int f = 0; f < t.length; f += 3) {
      double ax = p[3 * t[f]], ay = p[3 * t[f] + 1], az = p[3 * t[f] + 2];
      double bx = p[3 * t[f + 1]], by = p[3 * t[f + 1] + 1], bz = p[3 * t[f + 1] + 2];
      double cx = p[3 * t[f + 2]], cy = p[3 * t[f + 2] + 1], cz = p[3 * t[f + 2] + 2];
      double det = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
      if (det == 0) {
        continue;
      }
      int i0 = Math.max(0, (int) Math.floor((Math.min(ax, Math.min(bx, cx)) - start) / step));
      int i1 = Math.min(n - 1, (int) Math.ceil((Math.max(ax, Math.max(bx, cx)) - start) / step));
      int j0 = Math.max(0, (int) Math.floor((Math.min(ay, Math.min(by, cy)) - start) / step));
      int j1 = Math.min(n - 1, (int) Math.ceil((Math.max(ay, Math.max(by, cy)) - start) / step));
      for (int j = j0; j <= j1; j++) {
        for (int i = i0; i <= i1; i++) {
          double x = start + i * step;
          double y = start + j * step;
          double s = ((x - ax) * (cy - ay) - (cx - ax) * (y - ay)) / det;
          double r = ((bx - ax) * (y - ay) - (x - ax) * (by - ay)) / det;
          if (s >= 0 && r >= 0 && s + r <= 1) {
            int col = j * n + i;
            if (crossings[col] == null) {
              crossings[col] = new double[4];
            } else if (counts[col] == crossings[col].length) {
              crossings[col] = Arrays.copyOf(crossings[col], 2 * counts[col]);
            }
            crossings[col][counts[col]++] = az + s * (bz - az) + r * (cz - az);
          }
        }
      }
    }
    long both = 0;
    long either = 0;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        int col = j * n + i;
        double[] zs =
            crossings[col] == null ? new double[0] : Arrays.copyOf(crossings[col], counts[col]);
        Arrays.sort(zs);
        for (int k = 0; k < n; k++) {
          double z = start + k * step;
          int below = 0;
          while (below < zs.length && zs[below] < z) {
            below++;
          }
          boolean predicted = below % 2 == 1;
          boolean truth = shape.contains(start + i * step, start + j * step, z);
          both += predicted && truth ? 1 : 0;
          either += predicted || truth ? 1 : 0;
        }
      }
    }
    return (double) both / either;
  }

  private interface Occupancy {
    boolean at(double x, double y, double z);
  }

  private static double iou(Shape shape, double step, Occupancy predicted) {
    double reach = shape.reach() + 10;
    int n = (int) Math.ceil(2 * reach / step);
    double start = -reach + 0.317 * step;
    long both = 0;
    long either = 0;
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          double x = start + i * step;
          double y = start + j * step;
          double z = start + k * step;
          boolean p = predicted.at(x, y, z);
          boolean t = shape.contains(x, y, z);
          both += p && t ? 1 : 0;
          either += p || t ? 1 : 0;
        }
      }
    }
    return (double) both / either;
  }

  /** Inverse of the left 3×3 block of a row-major 3×4 matrix. */
  public static double[] inverse3(double[] p) {
    double a = p[0], b = p[1], c = p[2];
    double d = p[4], e = p[5], f = p[6];
    double g = p[8], h = p[9], i = p[10];
    double det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    return new double[] {
      (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
      (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
      (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det
    };
  }
}
