package dev.kiln.worker.reconstruction.depth;

import dev.kiln.worker.reconstruction.depth.DepthInputException.Problem;
import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Decoder behind {@link DepthMap#decode}. Samples are read from the raster, never through {@code
 * getRGB}, which would reduce 16 bits to 8.
 */
final class DepthPng {

  /**
   * why: the header is read before the pixels, so a small file declaring a huge canvas is refused
   * before it can allocate; the same cap as the colour image's
   */
  static final long MAX_PIXELS = 40_000_000L;

  private DepthPng() {}

  static DepthMap decode(byte[] png, Double nearMm, Double farMm) throws DepthInputException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw notAPng(null);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        if (!reader.getFormatName().toLowerCase(Locale.ROOT).equals("png")) {
          throw notAPng(null);
        }
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if ((long) w * h > MAX_PIXELS) {
          throw new DepthInputException(
              Problem.BAD_SIZE, "the depth map has more than " + MAX_PIXELS + " pixels");
        }
        if (w < 2 || h < 2) {
          throw new DepthInputException(
              Problem.BAD_SIZE, "the depth map must be at least 2x2 pixels");
        }
        int bits = checkGreyscale(reader.getRawImageType(0));
        if (bits == 8 && nearMm == null) {
          throw new DepthInputException(
              Problem.MISSING_RANGE,
              "an 8-bit depth map needs near_mm and far_mm to turn its grey levels into"
                  + " millimetres; send both, or send a 16-bit PNG in millimetres");
        }
        Raster raster = reader.read(0).getRaster();
        return bits == 16 ? millimetres(raster) : levels(raster, nearMm, farMm);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // why: decoders signal corrupt data with assorted runtime exceptions as well as IOException
      throw notAPng(e);
    }
  }

  /** Returns the bits per sample, 8 or 16, or explains why the image is not a greyscale map. */
  private static int checkGreyscale(ImageTypeSpecifier type) throws DepthInputException {
    ColorModel cm = type.getColorModel();
    int bits = type.getSampleModel().getSampleSize(0);
    String problem = null;
    if (bits != 8 && bits != 16) {
      problem = "has " + bits + "-bit samples";
    } else if (cm instanceof IndexColorModel) {
      problem = "is a palette (indexed-colour) image";
    } else if (type.getNumBands() != 1) {
      problem = "has " + type.getNumBands() + " channels" + (cm.hasAlpha() ? " with alpha" : "");
    } else if (cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
      problem = "is not greyscale";
    }
    if (problem != null) {
      throw new DepthInputException(
          Problem.NOT_GREYSCALE,
          "the depth map must be a single-channel greyscale PNG with 8 or 16 bits per sample;"
              + " this one "
              + problem);
    }
    return bits;
  }

  private static DepthMap millimetres(Raster raster) throws DepthInputException {
    return convert(raster, 1, 0, 1);
  }

  private static DepthMap levels(Raster raster, double near, double far)
      throws DepthInputException {
    double step = (far - near) / 254;
    return convert(raster, step, near - step, step);
  }

  /** Depth = offset + scale * sample for samples above 0; the step is the encoding's resolution. */
  private static DepthMap convert(Raster raster, double scale, double offset, double step)
      throws DepthInputException {
    int w = raster.getWidth();
    int h = raster.getHeight();
    float[] mm = new float[w * h];
    int[] row = new int[w];
    int valid = 0;
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int s = row[x];
        if (s == 0) {
          mm[y * w + x] = Float.NaN;
        } else {
          mm[y * w + x] = (float) (offset + scale * s);
          valid++;
        }
      }
    }
    if (valid == 0) {
      throw new DepthInputException(
          Problem.NO_VALID_DEPTH,
          "the depth map has no valid pixels: every sample is 0, which means no depth");
    }
    return new DepthMap(w, h, mm, step);
  }

  private static DepthInputException notAPng(Exception cause) {
    return new DepthInputException(
        Problem.NOT_A_PNG, "the depth map is not a readable PNG image", cause);
  }
}
