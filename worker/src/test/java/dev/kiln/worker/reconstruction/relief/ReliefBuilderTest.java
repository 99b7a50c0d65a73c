package dev.kiln.worker.reconstruction.relief;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReliefBuilderTest {

  static BufferedImage noise(int w, int h, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return image;
  }

  static BufferedImage greyRamp(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int g = x * 255 / (w - 1);
        image.setRGB(x, y, (g << 16) | (g << 8) | g);
      }
    }
    return image;
  }

  private static ReliefParams params(boolean invert) {
    return new ReliefParams(100, 10, 2, invert, 0, HeightField.Smoothing.BOX);
  }

  @Test
  void topVerticesMatchTheLuminanceWithinOneQuantisationStep() {
    BufferedImage image = noise(37, 23, 1);
    Mesh mesh = ReliefBuilder.build(image, params(false));
    double step = 10.0 / 255;
    float[] p = mesh.positions();
    for (int y = 0; y < 23; y++) {
      for (int x = 0; x < 37; x++) {
        int rgb = image.getRGB(x, y);
        // why: computed here from the channels, independently of HeightField.luma
        double lum =
            (0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff))
                / 255;
        assertThat((double) p[3 * (y * 37 + x) + 2]).isCloseTo(2 + lum * 10, within(step));
      }
    }
  }

  @Test
  void greyLevelsGiveExactlyProportionalHeightsAndInvertFlipsThem() {
    BufferedImage image = greyRamp(256, 4);
    Mesh plain = ReliefBuilder.build(image, params(false));
    Mesh inverted = ReliefBuilder.build(image, params(true));
    for (int x = 0; x < 256; x++) {
      double g = (x * 255 / 255) / 255.0;
      assertThat((double) plain.positions()[3 * x + 2]).isCloseTo(2 + g * 10, within(1e-4));
      assertThat((double) inverted.positions()[3 * x + 2])
          .isCloseTo(2 + (1 - g) * 10, within(1e-4));
    }
  }

  @Test
  void reliefIsAWatertightSolidOfThePhysicalSize() {
    Mesh mesh = ReliefBuilder.build(noise(40, 20, 2), params(false));
    assertThat(mesh.isWatertight()).isTrue();
    Mesh.Bounds b = mesh.bounds();
    assertThat(b.size(0)).isCloseTo(100, within(1e-4));
    assertThat(b.size(1)).isCloseTo(50, within(1e-4));
    assertThat(b.min()[2]).isEqualTo(0f);
    assertThat(b.max()[2]).isLessThanOrEqualTo(12f);
    assertThat(mesh.faceCount()).isEqualTo(2 * 39 * 19 + 3 * (2 * (40 + 20) - 4));
  }

  @Test
  void volumeOfALinearRampIsItsExactIntegral() {
    // a linear ramp is exactly representable by the triangles, so the integral is closed-form
    int w = 256;
    int h = 8;
    Mesh mesh = ReliefBuilder.build(greyRamp(w, h), params(false));
    double depth = 100.0 * h / w;
    double meanLum = 0;
    for (int x = 0; x < w; x++) {
      meanLum += (x * 255 / (w - 1)) / 255.0;
    }
    meanLum /= w;
    // heights are piecewise-linear in x: trapezoid rule over the samples is exact
    double trapezoid = 0;
    for (int x = 0; x < w - 1; x++) {
      double h0 = 2 + (x * 255 / (w - 1)) / 255.0 * 10;
      double h1 = 2 + ((x + 1) * 255 / (w - 1)) / 255.0 * 10;
      trapezoid += (h0 + h1) / 2 * (100.0 / (w - 1));
    }
    assertThat(mesh.volume()).isCloseTo(trapezoid * depth, within(1e-3 * trapezoid * depth));
    assertThat(meanLum).isBetween(0.49, 0.51);
  }

  @Test
  void volumeOfANoisyReliefMatchesTheHeightFieldIntegral() {
    int w = 64;
    int h = 48;
    BufferedImage image = noise(w, h, 3);
    Mesh mesh = ReliefBuilder.build(image, params(false));
    HeightField field = HeightField.fromImage(image, false, 0, HeightField.Smoothing.BOX);
    double sx = 100.0 / (w - 1);
    double sy = 100.0 * h / w / (h - 1);
    double integral = 0;
    for (int y = 0; y < h - 1; y++) {
      for (int x = 0; x < w - 1; x++) {
        double sum =
            field.at(x, y) + field.at(x + 1, y) + field.at(x, y + 1) + field.at(x + 1, y + 1);
        integral += sx * sy * (2 + sum / 4 * 10);
      }
    }
    assertThat(mesh.volume()).isCloseTo(integral, within(0.005 * integral));
  }

  @Test
  void smoothingFlattensNoiseTowardsItsMean() {
    BufferedImage image = noise(64, 64, 4);
    for (HeightField.Smoothing kind : HeightField.Smoothing.values()) {
      HeightField raw = HeightField.fromImage(image, false, 0, kind);
      HeightField smooth = HeightField.fromImage(image, false, 3, kind);
      assertThat(spread(smooth)).as(kind.name()).isLessThan(spread(raw) / 2);
    }
  }

  @Test
  void uvsMapTheTopOntoTheImage() {
    Mesh mesh = ReliefBuilder.build(noise(10, 5, 5), params(false));
    float[] uv = mesh.uvs();
    assertThat(uv[0]).isCloseTo(0.05f, within(1e-6f));
    assertThat(uv[1]).isCloseTo(0.1f, within(1e-6f));
    int last = 5 * 10 - 1;
    assertThat(uv[2 * last]).isCloseTo(0.95f, within(1e-6f));
    assertThat(uv[2 * last + 1]).isCloseTo(0.9f, within(1e-6f));
    // row 0 of the image lies at the far (+y) edge
    assertThat(mesh.positions()[1]).isCloseTo(50f, within(1e-4f));
  }

  private static double spread(HeightField f) {
    double min = 1;
    double max = 0;
    for (int y = 10; y < f.height() - 10; y++) {
      for (int x = 10; x < f.width() - 10; x++) {
        min = Math.min(min, f.at(x, y));
        max = Math.max(max, f.at(x, y));
      }
    }
    return max - min;
  }
}
