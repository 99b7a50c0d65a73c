package dev.kiln.bench.reconstruction;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Inputs for the reconstruction benchmark, rendered here so every run measures the same work.
 *
 * <p>The multiview and depth inputs show a sphere at the origin from cameras that look at it: its
 * outline is then the same disc from every direction, so the images need no camera convention
 * beyond the pinhole model with the focal length taken from the horizontal field of view.
 */
final class BenchImages {

  private BenchImages() {}

  /** A relief source: concentric ripples over a dome, so decimation has detail everywhere. */
  static byte[] ripples(int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double rMax = Math.hypot(w / 2.0, h / 2.0);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double r = Math.hypot(x - w / 2.0, y - h / 2.0) / rMax;
        double v = 0.6 * (1 - r) + 0.4 * (0.5 + 0.5 * Math.cos(r * 40));
        int g = (int) Math.round(255 * Math.max(0, Math.min(1, v)));
        img.setRGB(x, y, (g << 16) | ((255 - g) << 8) | 128);
      }
    }
    return png(img);
  }

  /**
   * One view of a sphere of radius {@code r} seen from distance {@code d}: coloured by pixel
   * position inside the disc on a plain white background.
   */
  static byte[] sphereView(int w, int h, double fovDeg, double r, double d, int view)
      throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double f = (w / 2.0) / Math.tan(Math.toRadians(fovDeg) / 2);
    double limit = r / Math.sqrt(d * d - r * r);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double tan = Math.hypot(x + 0.5 - w / 2.0, y + 0.5 - h / 2.0) / f;
        int rgb = 0xffffff;
        if (tan <= limit) {
          int red = (x * 255 / w + view * 10) & 0xff;
          rgb = (red << 16) | ((y * 255 / h) << 8) | 60;
        }
        img.setRGB(x, y, rgb);
      }
    }
    return png(img);
  }

  /** 16-bit depth map, millimetres along the optical axis, of the same sphere; 0 off the sphere. */
  static byte[] sphereDepth(int w, int h, double fovDeg, double r, double d) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    double f = (w / 2.0) / Math.tan(Math.toRadians(fovDeg) / 2);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = (x + 0.5 - w / 2.0) / f;
        double dy = (y + 0.5 - h / 2.0) / f;
        // ray (dx, dy, 1) t from the camera; sphere centre at (0, 0, d)
        double a = dx * dx + dy * dy + 1;
        double disc = d * d - a * (d * d - r * r);
        int mm = 0;
        if (disc >= 0) {
          double t = (d - Math.sqrt(disc)) / a;
          mm = (int) Math.round(t);
        }
        img.getRaster().setSample(x, y, 0, mm);
      }
    }
    return png(img);
  }

  private static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
