package dev.kiln.worker.reconstruction.depth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.worker.reconstruction.depth.DepthInputException.Problem;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DepthMapDecodeTest {

  @Test
  void sixteenBitPngDecodesToWholeMillimetresAtFullPrecisionWithZeroAsMissing() throws Exception {
    float[] mm = {0, 1, 255, 256, 40_000, 65_535};
    DepthMap map = DepthMap.decode(DepthFixtures.png16(3, 2, mm), null, null);

    assertThat(map.width()).isEqualTo(3);
    assertThat(map.height()).isEqualTo(2);
    assertThat(map.at(0, 0)).isNaN();
    assertThat(map.at(1, 0)).isEqualTo(1f);
    assertThat(map.at(2, 0)).isEqualTo(255f);
    assertThat(map.at(0, 1)).isEqualTo(256f);
    assertThat(map.at(1, 1)).isEqualTo(40_000f);
    assertThat(map.at(2, 1)).isEqualTo(65_535f);
    assertThat(map.validCount()).isEqualTo(5);
    assertThat(map.stepMm()).isEqualTo(1.0);
  }

  @Test
  void sixteenBitPngIgnoresNearAndFar() throws Exception {
    float[] mm = {700, 0, 1200, 3};
    DepthMap map = DepthMap.decode(DepthFixtures.png16(2, 2, mm), 100.0, 200.0);

    assertThat(map.at(0, 0)).isEqualTo(700f);
    assertThat(map.at(0, 1)).isEqualTo(1200f);
  }

  @Test
  void eightBitLevelsMapLinearlyFromNearAtOneToFarAt255WithZeroAsMissing() throws Exception {
    int[] levels = {0, 1, 128, 255};
    DepthMap map = DepthMap.decode(DepthFixtures.png8(2, 2, levels), 300.0, 1570.0);

    assertThat(map.at(0, 0)).isNaN();
    assertThat((double) map.at(1, 0)).isCloseTo(300, within(1e-3));
    assertThat((double) map.at(0, 1)).isCloseTo(300 + 127 * 5.0, within(1e-3));
    assertThat((double) map.at(1, 1)).isCloseTo(1570, within(1e-3));
    assertThat(map.stepMm()).isCloseTo(5.0, within(1e-12));
  }

  @Test
  void colourPngIsRejectedAsNotGreyscale() {
    byte[] colour = DepthFixtures.png(DepthFixtures.distinctColours(4, 4));

    assertThatThrownBy(() -> DepthMap.decode(colour, null, null))
        .isInstanceOfSatisfying(
            DepthInputException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.NOT_GREYSCALE))
        .hasMessage(
            "the depth map must be a single-channel greyscale PNG with 8 or 16 bits per sample;"
                + " this one has 3 channels");
  }

  @Test
  void greyWithAlphaAndPaletteAndOneBitPngsAreRejectedAsNotGreyscale() {
    byte[] greyAlpha = DepthFixtures.png(greyWithAlpha());
    byte[] palette = DepthFixtures.png(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED));
    byte[] oneBit = DepthFixtures.png(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_BINARY));

    assertThatThrownBy(() -> DepthMap.decode(greyAlpha, null, null))
        .hasMessageEndingWith("this one has 2 channels with alpha");
    assertThatThrownBy(() -> DepthMap.decode(palette, null, null))
        .hasMessageEndingWith("this one is a palette (indexed-colour) image");
    assertThatThrownBy(() -> DepthMap.decode(oneBit, null, null))
        .hasMessageEndingWith("this one has 1-bit samples");
  }

  @Test
  void eightBitMapWithoutNearAndFarIsRejectedWithWhatToSendInstead() {
    byte[] png = DepthFixtures.png8(2, 2, new int[] {10, 20, 30, 40});

    assertThatThrownBy(() -> DepthMap.decode(png, null, null))
        .isInstanceOfSatisfying(
            DepthInputException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.MISSING_RANGE))
        .hasMessage(
            "an 8-bit depth map needs near_mm and far_mm to turn its grey levels into millimetres;"
                + " send both, or send a 16-bit PNG in millimetres");
  }

  @Test
  void depthMapWithoutAnyValidSampleIsRejected() {
    byte[] empty = DepthFixtures.png16(8, 8, new float[64]);

    assertThatThrownBy(() -> DepthMap.decode(empty, null, null))
        .isInstanceOfSatisfying(
            DepthInputException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.NO_VALID_DEPTH))
        .hasMessage("the depth map has no valid pixels: every sample is 0, which means no depth");
  }

  @Test
  void bytesThatAreNotAPngAreRejectedAndSoIsAGreyscaleJpeg() {
    BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    byte[] jpeg = DepthFixtures.encode(grey, "jpeg");
    byte[] garbage = "not an image".getBytes(StandardCharsets.US_ASCII);
    byte[] png = DepthFixtures.png16(4, 4, DepthFixtures.constant(4, 4, 500));
    byte[] truncated = Arrays.copyOf(png, png.length / 2);

    for (byte[] bytes : new byte[][] {jpeg, garbage, truncated}) {
      assertThatThrownBy(() -> DepthMap.decode(bytes, null, null))
          .isInstanceOfSatisfying(
              DepthInputException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NOT_A_PNG))
          .hasMessage("the depth map is not a readable PNG image");
    }
  }

  @Test
  void mapSmallerThanTwoByTwoIsRejected() {
    byte[] row = DepthFixtures.png16(5, 1, DepthFixtures.constant(5, 1, 500));

    assertThatThrownBy(() -> DepthMap.decode(row, null, null))
        .isInstanceOfSatisfying(
            DepthInputException.class, e -> assertThat(e.problem()).isEqualTo(Problem.BAD_SIZE))
        .hasMessage("the depth map must be at least 2x2 pixels");
  }

  private static BufferedImage greyWithAlpha() {
    ColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    return new BufferedImage(cm, cm.createCompatibleWritableRaster(4, 4), false, null);
  }
}
