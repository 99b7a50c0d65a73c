package dev.kiln.worker.reconstruction.multiview;

import java.util.BitSet;

/**
 * Foreground of one image as one bit per pixel, row-major ({@code y * width + x}). A mask is a
 * fraction of the size of the decoded image, which is why the pipeline keeps masks and not images.
 * The bit set is owned by the mask and must not be changed after construction.
 */
public record Mask(int width, int height, BitSet inside) {

  public Mask {
    if (width < 1 || height < 1 || inside == null) {
      throw new IllegalArgumentException("mask needs a positive size and a bit set");
    }
    if (inside.length() > width * height) {
      throw new IllegalArgumentException("mask bits exceed its pixels");
    }
  }

  /** True when pixel (x, y) is foreground; false for pixels outside the image. */
  public boolean contains(int x, int y) {
    return x >= 0 && y >= 0 && x < width && y < height && inside.get(y * width + x);
  }

  /** Number of foreground pixels. */
  public int area() {
    return inside.cardinality();
  }
}
