package dev.kiln.worker.reconstruction.multiview;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Separates an object from a plain background.
 *
 * <p>The background colour is the per-channel median of the image border, which must therefore show
 * mostly background. A pixel is foreground when its RGB distance to that colour exceeds a threshold
 * taken from the border's own noise: {@value #NOISE_FACTOR} times the {@value #NOISE_PERCENTILE}
 * quantile of the border distances, but at least {@value #MIN_CONTRAST} (of 441, the black-to-white
 * distance). Otsu's threshold is deliberately not used: a multi-coloured object makes the distance
 * histogram multi-modal and Otsu then splits the object instead of separating it from the
 * background. An image with an alpha channel whose border is mostly transparent is cut by its alpha
 * (≥ 128 is foreground) instead.
 *
 * <p>Cleanup is biased towards keeping pixels, because carving intersects all views: a pixel
 * wrongly marked background cuts a tunnel through the model, one wrongly marked foreground only
 * leaves material another view may still remove. So foreground specks are dropped only when far
 * smaller than the main object, and every background region enclosed by foreground is filled —
 * which also fills true through-holes seen in this view.
 */
public final class Silhouette {

  /** Lowest foreground distance, so a noiseless synthetic background does not make it zero. */
  static final int MIN_CONTRAST = 24;

  static final double NOISE_FACTOR = 3.0;
  static final double NOISE_PERCENTILE = 0.9;

  /** Foreground components below this share of the largest one are treated as noise. */
  static final double SPECK_FRACTION = 0.01;

  private Silhouette() {}

  /**
   * Segments one decoded image; the image is only read, the result does not refer to it. Besides
   * the mask (one bit per pixel) the cleanup needs two transient ints per pixel, so callers bound
   * the image size before segmenting, as they bound the decoded image itself.
   */
  public static Mask segment(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] border = borderPixels(image);
    BitSet fg = new BitSet(w * h);
    int[] row = new int[w];
    boolean alphaCut = image.getColorModel().hasAlpha() && medianChannel(border, 24) < 128;
    int bg = 0;
    long limit2 = 0;
    if (!alphaCut) {
      bg =
          (medianChannel(border, 16) << 16)
              | (medianChannel(border, 8) << 8)
              | medianChannel(border, 0);
      long[] d2 = new long[border.length];
      for (int i = 0; i < border.length; i++) {
        d2[i] = distance2(border[i], bg);
      }
      Arrays.sort(d2);
      double noise = Math.sqrt(d2[(int) Math.min(d2.length - 1, NOISE_PERCENTILE * d2.length)]);
      double limit = Math.max(MIN_CONTRAST, NOISE_FACTOR * noise);
      limit2 = (long) Math.ceil(limit * limit);
    }
    // why: row by row, so segmenting never needs a second full-size copy of the pixels
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        boolean inside = alphaCut ? (row[x] >>> 24) >= 128 : distance2(row[x], bg) > limit2;
        if (inside) {
          fg.set(y * w + x);
        }
      }
    }
    int[] labels = new int[w * h];
    int[] queue = new int[w * h];
    dropSpecks(fg, w, h, labels, queue);
    fillHoles(fg, w, h, labels, queue);
    return new Mask(w, h, fg);
  }

  private static int[] borderPixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] top = image.getRGB(0, 0, w, 1, null, 0, w);
    int[] bottom = image.getRGB(0, h - 1, w, 1, null, 0, w);
    int sides = Math.max(0, h - 2);
    int[] all = Arrays.copyOf(top, 2 * w + 2 * sides);
    System.arraycopy(bottom, 0, all, w, w);
    for (int y = 1; y <= sides; y++) {
      all[2 * w + 2 * (y - 1)] = image.getRGB(0, y);
      all[2 * w + 2 * (y - 1) + 1] = image.getRGB(w - 1, y);
    }
    return all;
  }

  private static int medianChannel(int[] argb, int shift) {
    int[] histogram = new int[256];
    for (int c : argb) {
      histogram[(c >>> shift) & 0xff]++;
    }
    int half = argb.length / 2;
    int seen = 0;
    for (int v = 0; v < 256; v++) {
      seen += histogram[v];
      if (seen > half) {
        return v;
      }
    }
    return 255;
  }

  private static long distance2(int a, int b) {
    int dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
    int dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
    int db = (a & 0xff) - (b & 0xff);
    return (long) dr * dr + dg * dg + db * db;
  }

  /** Clears 8-connected foreground components far smaller than the largest. */
  private static void dropSpecks(BitSet fg, int w, int h, int[] labels, int[] queue) {
    int[] sizes = label(fg, true, w, h, true, labels, queue);
    int largest = 0;
    for (int s : sizes) {
      largest = Math.max(largest, s);
    }
    double minSize = SPECK_FRACTION * largest;
    for (int i = 0; i < w * h; i++) {
      if (labels[i] >= 0 && sizes[labels[i]] < minSize) {
        fg.clear(i);
      }
    }
  }

  /** Sets every 4-connected background component that does not reach the image border. */
  private static void fillHoles(BitSet fg, int w, int h, int[] labels, int[] queue) {
    int[] sizes = label(fg, false, w, h, false, labels, queue);
    boolean[] open = new boolean[sizes.length];
    for (int x = 0; x < w; x++) {
      markOpen(labels[x], open);
      markOpen(labels[(h - 1) * w + x], open);
    }
    for (int y = 0; y < h; y++) {
      markOpen(labels[y * w], open);
      markOpen(labels[y * w + w - 1], open);
    }
    for (int i = 0; i < w * h; i++) {
      if (labels[i] >= 0 && !open[labels[i]]) {
        fg.set(i);
      }
    }
  }

  private static void markOpen(int label, boolean[] open) {
    if (label >= 0) {
      open[label] = true;
    }
  }

  /**
   * Breadth-first labelling of the pixels whose bit equals {@code value}; other pixels get -1.
   * Foreground uses 8- and background 4-connectivity, the usual dual pair, so that a diagonal
   * foreground line both connects its pixels and separates the background on either side.
   *
   * @return size of each component, indexed by label
   */
  private static int[] label(
      BitSet bits, boolean value, int w, int h, boolean eight, int[] labels, int[] queue) {
    Arrays.fill(labels, -1);
    int[] sizes = new int[16];
    int count = 0;
    for (int seed = 0; seed < w * h; seed++) {
      if (labels[seed] >= 0 || bits.get(seed) != value) {
        continue;
      }
      if (count == sizes.length) {
        sizes = Arrays.copyOf(sizes, 2 * count);
      }
      int head = 0;
      int tail = 0;
      queue[tail++] = seed;
      labels[seed] = count;
      while (head < tail) {
        int i = queue[head++];
        int x = i % w;
        int y = i / w;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            if ((dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0)) {
              continue;
            }
            int nx = x + dx;
            int ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
              continue;
            }
            int n = ny * w + nx;
            if (labels[n] < 0 && bits.get(n) == value) {
              labels[n] = count;
              queue[tail++] = n;
            }
          }
        }
      }
      sizes[count++] = tail;
    }
    return Arrays.copyOf(sizes, count);
  }
}
