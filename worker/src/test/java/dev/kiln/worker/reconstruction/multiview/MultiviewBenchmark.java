package dev.kiln.worker.reconstruction.multiview;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.mesh.QuadricDecimator;
import dev.kiln.worker.reconstruction.multiview.TestShapes.Cube;
import dev.kiln.worker.reconstruction.multiview.TestShapes.Shape;
import dev.kiln.worker.reconstruction.multiview.TestShapes.Sphere;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Wall-clock figures for the multiview geometry: 24 JPEG views of 640×480, from decoding to the
 * textured mesh, at the quality named by the first argument (default medium). Not a unit test
 * (timings do not belong in one); run after {@code ./mvnw -B -ntp -o -q -pl worker test-compile}
 * with {@code java -cp worker/target/classes:worker/target/test-classes
 * dev.kiln.worker.reconstruction.multiview.MultiviewBenchmark medium}.
 */
public final class MultiviewBenchmark {

  /** The relief mode's automatic face limits per quality, which the multiview job may share. */
  private static final int[] FACE_LIMITS = {20_000, 100_000, 400_000};

  private MultiviewBenchmark() {}

  public static void main(String[] args) {
    MultiviewQuality quality =
        MultiviewQuality.valueOf(args.length > 0 ? args[0].toUpperCase(Locale.ROOT) : "MEDIUM");
    List<Camera> cameras = MultiviewFixtures.ring(24, 30, 0, -30);
    Shape[] shapes = {new Sphere(60, 0xc03c28), new Cube(80, 20)};
    for (Shape shape : shapes) {
      List<byte[]> jpegs =
          cameras.stream().map(c -> jpeg(MultiviewFixtures.render(shape, c))).toList();
      for (int run = 1; run <= 3; run++) {
        System.out.printf(
            "%s run %d: %s%n",
            shape.getClass().getSimpleName(), run, once(jpegs, cameras, quality));
      }
    }
  }

  private static String once(List<byte[]> jpegs, List<Camera> cameras, MultiviewQuality quality) {
    long t0 = System.nanoTime();
    List<Mask> masks = new ArrayList<>();
    for (byte[] file : jpegs) {
      masks.add(Silhouette.segment(decode(file)));
    }
    long t1 = System.nanoTime();
    VisualHull hull = new VisualHull(masks, cameras);
    VoxelGrid grid = SpaceCarver.carve(hull, quality.voxelsPerSide(), null);
    long t2 = System.nanoTime();
    Mesh surface = MarchingCubes.extract(grid, hull::contains, null);
    long t3 = System.nanoTime();
    Mesh simplified =
        new QuadricDecimator(FACE_LIMITS[quality.ordinal()], null).decimate(surface).mesh();
    long t4 = System.nanoTime();
    ViewTexturer.Textured textured =
        ViewTexturer.texture(
            simplified, cameras, i -> decode(jpegs.get(i)), quality.maxAtlasSide(), null);
    long t5 = System.nanoTime();
    return String.format(
        "decode+segment %.2fs, carve %.2fs (%dx%dx%d), marching cubes %.2fs (%d faces, watertight"
            + " %b), decimate %.2fs, texture %.2fs (%d views, atlas %dx%d) = %.2fs",
        seconds(t0, t1),
        seconds(t1, t2),
        grid.nx(),
        grid.ny(),
        grid.nz(),
        seconds(t2, t3),
        surface.faceCount(),
        surface.isWatertight(),
        seconds(t3, t4),
        seconds(t4, t5),
        textured.viewsUsed(),
        textured.atlas().getWidth(),
        textured.atlas().getHeight(),
        seconds(t0, t5));
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }

  private static byte[] jpeg(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "jpg", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BufferedImage decode(byte[] file) {
    try {
      return ImageIO.read(new ByteArrayInputStream(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
