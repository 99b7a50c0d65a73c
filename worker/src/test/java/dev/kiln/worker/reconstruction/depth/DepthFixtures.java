package dev.kiln.worker.reconstruction.depth;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Depth maps and images whose truth the tests know, and their PNG encodings. */
public final class DepthFixtures {

  private DepthFixtures() {}

  /**
   * Ray-casts a sphere given in camera coordinates (X right, Y down, Z forward) through the centre
   * of every pixel; depth is Z of the nearest hit, NaN where the ray misses.
   */
  public static float[] sphere(int w, int h, Intrinsics k, double[] centre, double radius) {
    float[] depth = new float[w * h];
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        double dx = (i - k.cx()) / k.fx();
        double dy = (j - k.cy()) / k.fy();
        double dd = dx * dx + dy * dy + 1;
        double dc = dx * centre[0] + dy * centre[1] + centre[2];
        double cc = centre[0] * centre[0] + centre[1] * centre[1] + centre[2] * centre[2];
        double disc = dc * dc - dd * (cc - radius * radius);
        // why: with the ray's Z component 1, the ray parameter of the hit is its depth
        depth[j * w + i] = disc < 0 ? Float.NaN : (float) ((dc - Math.sqrt(disc)) / dd);
      }
    }
    return depth;
  }

  /** Camera point to model point under the package's mapping (X, Y, Z) to (X, Z, -Y). */
  public static double[] toModel(double[] camera) {
    return new double[] {camera[0], camera[2], -camera[1]};
  }

  /** 16-bit greyscale PNG of whole millimetres, 0 where the depth is NaN. */
  public static byte[] png16(int w, int h, float[] mm) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster raster = image.getRaster();
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        float v = mm[j * w + i];
        raster.setSample(i, j, 0, v != v ? 0 : Math.round(v));
      }
    }
    return png(image);
  }

  /** 8-bit greyscale PNG of the given levels. */
  public static byte[] png8(int w, int h, int[] levels) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setSamples(0, 0, w, h, 0, levels);
    return png(image);
  }

  public static byte[] png(BufferedImage image) {
    return encode(image, "png");
  }

  public static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Opaque image whose every pixel has its own colour: red = x, green = y, blue = x + y. */
  public static BufferedImage distinctColours(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, rgb(x, y));
      }
    }
    return image;
  }

  public static int rgb(int x, int y) {
    return ((x & 0xff) << 16) | ((y & 0xff) << 8) | ((x + y) & 0xff);
  }

  /** Depth map filled with one depth. */
  public static float[] constant(int w, int h, float mm) {
    float[] depth = new float[w * h];
    Arrays.fill(depth, mm);
    return depth;
  }
}
