package dev.kiln.worker.reconstruction.pipeline;

import dev.kiln.worker.pipeline.StageFailure;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Decodes the input image and scales it to the relief grid. */
final class ImagePreparation {

  static final String INPUT_NOT_AN_IMAGE = "INPUT_NOT_AN_IMAGE";
  static final String INPUT_IMAGE_TOO_SMALL = "INPUT_IMAGE_TOO_SMALL";
  static final String INPUT_IMAGE_TOO_LARGE = "INPUT_IMAGE_TOO_LARGE";

  /**
   * why: the header is read before the pixels, so a small file declaring a huge canvas (a
   * decompression bomb) is refused before it can allocate gigabytes; same cap as the gateway, for
   * messages that did not come through it
   */
  static final long MAX_PIXELS = 40_000_000L;

  /**
   * @param format ImageIO format name of the input, e.g. png
   * @param grid the image at relief resolution, opaque RGB
   */
  record Prepared(String format, int inputWidth, int inputHeight, BufferedImage grid) {}

  private ImagePreparation() {}

  static Prepared prepare(byte[] bytes, int maxSide) throws StageFailure {
    Decoded decoded = decode(bytes);
    BufferedImage image = decoded.image();
    return new Prepared(
        decoded.format(), image.getWidth(), image.getHeight(), toGrid(image, maxSide));
  }

  /** An input image as decoded, at its own size. */
  record Decoded(String format, BufferedImage image) {}

  /** Decodes a PNG or JPEG after checking its declared size against {@link #MAX_PIXELS}. */
  static Decoded decode(byte[] bytes) throws StageFailure {
    BufferedImage decoded;
    String format;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw notAnImage(null);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
        if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PIXELS) {
          throw new StageFailure(
              INPUT_IMAGE_TOO_LARGE, "the image has more than " + MAX_PIXELS + " pixels", false);
        }
        decoded = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // why: decoders signal corrupt data with assorted runtime exceptions as well as IOException
      throw notAnImage(e);
    }
    if (decoded.getWidth() < 2 || decoded.getHeight() < 2) {
      throw new StageFailure(INPUT_IMAGE_TOO_SMALL, "the image must be at least 2x2 pixels", false);
    }
    return new Decoded(format, decoded);
  }

  /**
   * Scales so the long side is at most {@code maxSide}, halving first while more than twice too
   * large: one bilinear step from far above would skip pixels and alias. Transparent pixels land on
   * black, i.e. the base.
   */
  static BufferedImage toGrid(BufferedImage src, int maxSide) {
    int w = src.getWidth();
    int h = src.getHeight();
    double scale = Math.min(1.0, (double) maxSide / Math.max(w, h));
    int tw = Math.max(2, (int) Math.round(w * scale));
    int th = Math.max(2, (int) Math.round(h * scale));
    BufferedImage current = src;
    int cw = w;
    int ch = h;
    while (cw / 2 >= tw && ch / 2 >= th) {
      cw /= 2;
      ch /= 2;
      current = draw(current, cw, ch);
    }
    if (cw != tw || ch != th || current == src) {
      // why: also runs at scale 1, to get opaque RGB whatever the decoder returned
      current = draw(current, tw, th);
    }
    return current;
  }

  private static BufferedImage draw(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static StageFailure notAnImage(Exception cause) {
    return new StageFailure(
        INPUT_NOT_AN_IMAGE, "the input is not a readable PNG or JPEG image", false, cause);
  }
}
