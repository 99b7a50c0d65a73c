package dev.kiln.worker.reconstruction.depth;

import java.util.Arrays;

/**
 * Grid of depths in millimetres along the optical axis, row-major, row 0 at the image top. Missing
 * samples ("no depth") read as NaN.
 *
 * <p>Besides its own size the map remembers the size of the map as sent ({@link #sourceWidth()},
 * {@link #sourceHeight()}), because the client's intrinsics refer to that grid; see {@link
 * Intrinsics#resolve}.
 */
public final class DepthMap {

  private final int width;
  private final int height;
  private final float[] mm;
  private final int sourceWidth;
  private final int sourceHeight;
  private final double stepMm;
  private final int validCount;

  /**
   * @param mm depths, taken over rather than copied; samples that are not positive and finite (0
   *     included) are missing and are set to NaN
   * @param stepMm quantisation step of the encoding the depths came from (1 for millimetre
   *     integers), 0 when exact; depth differences up to one step never count as discontinuities
   * @throws IllegalArgumentException if the sizes disagree or no sample is valid
   */
  public DepthMap(int width, int height, float[] mm, double stepMm) {
    this(width, height, mm, width, height, stepMm);
  }

  private DepthMap(
      int width, int height, float[] mm, int sourceWidth, int sourceHeight, double stepMm) {
    if (width < 1 || height < 1 || mm.length != (long) width * height) {
      throw new IllegalArgumentException("need width x height depth samples");
    }
    if (!(stepMm >= 0) || !Double.isFinite(stepMm)) {
      throw new IllegalArgumentException("quantisation step must be a finite number >= 0");
    }
    int valid = 0;
    for (int i = 0; i < mm.length; i++) {
      if (mm[i] > 0 && mm[i] < Float.POSITIVE_INFINITY) {
        valid++;
      } else {
        mm[i] = Float.NaN;
      }
    }
    if (valid == 0) {
      throw new IllegalArgumentException("the depth map has no valid sample");
    }
    this.width = width;
    this.height = height;
    this.mm = mm;
    this.sourceWidth = sourceWidth;
    this.sourceHeight = sourceHeight;
    this.stepMm = stepMm;
    this.validCount = valid;
  }

  /**
   * Decodes a single-channel greyscale PNG. In both encodings sample 0 means "no depth".
   *
   * <ul>
   *   <li>16 bits: the sample is the depth in whole millimetres (up to 65.535 m); near and far are
   *       ignored.
   *   <li>8 bits: level v in 1..255 maps linearly to {@code near + (v - 1) / 254 * (far - near)},
   *       so level 1 is near and 255 is far. Maps that store inverse depth (disparity, as many
   *       monocular estimators do) must be converted to linear depth first.
   * </ul>
   *
   * @param nearMm depth of 8-bit level 1, required for 8-bit maps
   * @param farMm depth of 8-bit level 255, required for 8-bit maps
   * @throws DepthInputException if the bytes are not a PNG, the PNG is not 8- or 16-bit greyscale,
   *     it is smaller than 2x2 or larger than 40 million pixels, an 8-bit map comes without near
   *     and far, or no sample is valid
   */
  public static DepthMap decode(byte[] png, Double nearMm, Double farMm)
      throws DepthInputException {
    return DepthPng.decode(png, nearMm, farMm);
  }

  /**
   * Scales the grid down so its long side is {@code maxSide}, or returns this map if it already
   * fits. Output pixel i covers the source pixels whose centres fall inside its footprint, and
   * takes the lower median of their valid depths.
   *
   * <p>why: a median picks one measured depth, so a cell straddling an edge lands on one of the two
   * surfaces; an average would put a "flying pixel" in the empty space between them. The lower
   * median breaks an even split towards the nearer surface, so thin foreground objects survive. A
   * cell is missing only if none of its samples is valid, so sparse maps stay usable; silhouettes
   * then grow by less than one output cell.
   */
  public DepthMap downsample(int maxSide) {
    if (maxSide < 1) {
      throw new IllegalArgumentException("max side must be at least 1 pixel");
    }
    int longSide = Math.max(width, height);
    if (longSide <= maxSide) {
      return this;
    }
    int w = Math.max(1, (int) Math.round((double) width * maxSide / longSide));
    int h = Math.max(1, (int) Math.round((double) height * maxSide / longSide));
    int[] xs = cellStarts(width, w);
    int[] ys = cellStarts(height, h);
    float[] cell = new float[widestCell(xs) * widestCell(ys)];
    float[] out = new float[w * h];
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        int n = 0;
        for (int y = ys[j]; y < ys[j + 1]; y++) {
          for (int x = xs[i]; x < xs[i + 1]; x++) {
            float v = mm[y * width + x];
            if (v == v) {
              cell[n++] = v;
            }
          }
        }
        if (n == 0) {
          out[j * w + i] = Float.NaN;
        } else {
          Arrays.sort(cell, 0, n);
          out[j * w + i] = cell[(n - 1) / 2];
        }
      }
    }
    return new DepthMap(w, h, out, sourceWidth, sourceHeight, stepMm);
  }

  /**
   * First source index of each of {@code m} output cells over {@code n} source pixels, plus n at
   * the end: the smallest x whose centre x + 0.5 lies at or beyond i * n / m, in integers.
   */
  private static int[] cellStarts(int n, int m) {
    int[] starts = new int[m + 1];
    for (int i = 0; i <= m; i++) {
      starts[i] = (int) Math.max(0, Math.ceilDiv(2L * i * n - m, 2L * m));
    }
    return starts;
  }

  private static int widestCell(int[] starts) {
    int widest = 0;
    for (int i = 1; i < starts.length; i++) {
      widest = Math.max(widest, starts[i] - starts[i - 1]);
    }
    return widest;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Width of the map as the client sent it, before any downsampling. */
  public int sourceWidth() {
    return sourceWidth;
  }

  /** Height of the map as the client sent it, before any downsampling. */
  public int sourceHeight() {
    return sourceHeight;
  }

  /** Quantisation step of the encoding in millimetres; 0 when the depths are exact. */
  public double stepMm() {
    return stepMm;
  }

  /** Number of samples with a depth; at least one. */
  public int validCount() {
    return validCount;
  }

  /** Depth at column x, row y (row 0 = top), NaN when missing. */
  public float at(int x, int y) {
    return mm[y * width + x];
  }

  /** The samples themselves, for the reconstruction's inner loops; must not be changed. */
  float[] samples() {
    return mm;
  }
}
