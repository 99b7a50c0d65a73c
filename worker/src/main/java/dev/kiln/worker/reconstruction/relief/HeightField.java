package dev.kiln.worker.reconstruction.relief;

import java.awt.image.BufferedImage;

/**
 * Grid of normalised heights (0..1), one sample per image pixel, row 0 = top row of the image.
 * Luminance is Rec. 709 luma applied to the 8-bit sRGB components as stored, without linearising: a
 * grey pixel of value g then gives exactly g/255, which is what users expect from a height map.
 */
public final class HeightField {

  /** How {@code smoothing} blurs the luminance before it becomes height. */
  public enum Smoothing {
    BOX,
    GAUSSIAN
  }

  private final int width;
  private final int height;
  private final float[] values;

  HeightField(int width, int height, float[] values) {
    this.width = width;
    this.height = height;
    this.values = values;
  }

  /**
   * @param radius smoothing radius in pixels; 0 keeps the luminance as it is
   */
  public static HeightField fromImage(
      BufferedImage image, boolean invert, int radius, Smoothing smoothing) {
    if (radius < 0) {
      throw new IllegalArgumentException("smoothing radius must not be negative");
    }
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    float[] values = new float[w * h];
    for (int i = 0; i < values.length; i++) {
      values[i] = luma(argb[i]);
    }
    if (radius > 0) {
      float[] kernel = smoothing == Smoothing.BOX ? boxKernel(radius) : gaussianKernel(radius);
      values = convolve(values, w, h, kernel, true);
      values = convolve(values, w, h, kernel, false);
    }
    if (invert) {
      for (int i = 0; i < values.length; i++) {
        values[i] = 1f - values[i];
      }
    }
    return new HeightField(w, h, values);
  }

  /** Rec. 709 luma of an ARGB pixel, 0..1. */
  public static float luma(int argb) {
    int r = (argb >> 16) & 0xff;
    int g = (argb >> 8) & 0xff;
    int b = argb & 0xff;
    return (float) ((0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Normalised height at column x, row y (row 0 = image top). */
  public float at(int x, int y) {
    return values[y * width + x];
  }

  private static float[] boxKernel(int radius) {
    float[] k = new float[2 * radius + 1];
    java.util.Arrays.fill(k, 1f / k.length);
    return k;
  }

  private static float[] gaussianKernel(int radius) {
    // why: sigma = radius / 2 puts the cut-off at two standard deviations, so truncation loses <5%
    double sigma = Math.max(radius / 2.0, 0.5);
    float[] k = new float[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      double v = Math.exp(-(i * i) / (2 * sigma * sigma));
      k[i + radius] = (float) v;
      sum += v;
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= (float) sum;
    }
    return k;
  }

  // why: edges clamp rather than pad with zero, otherwise the border of every relief would sag.
  // A column pass is a row pass that steps by the width instead of by one.
  private static float[] convolve(float[] src, int w, int h, float[] kernel, boolean alongRows) {
    int r = kernel.length / 2;
    int length = alongRows ? w : h;
    float[] dst = new float[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int at = alongRows ? x : y;
        double acc = 0;
        for (int k = -r; k <= r; k++) {
          int p = Math.min(length - 1, Math.max(0, at + k));
          acc += kernel[k + r] * src[alongRows ? y * w + p : p * w + x];
        }
        dst[y * w + x] = (float) acc;
      }
    }
    return dst;
  }
}
