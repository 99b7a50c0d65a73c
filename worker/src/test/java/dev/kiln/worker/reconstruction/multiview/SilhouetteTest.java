package dev.kiln.worker.reconstruction.multiview;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SilhouetteTest {

  private static final int W = 640;
  private static final int H = 480;
  private static final int CX = 300;
  private static final int CY = 260;
  private static final int R = 150;

  private static boolean inDisc(int x, int y) {
    double dx = x + 0.5 - CX;
    double dy = y + 0.5 - CY;
    return dx * dx + dy * dy <= R * R;
  }

  /** A disc of one colour on a background of another, both with Gaussian noise per channel. */
  private static BufferedImage disc(int object, int background, double noise, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int base = inDisc(x, y) ? object : background;
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          int c = (int) Math.round(((base >> shift) & 0xff) + noise * random.nextGaussian());
          rgb |= Math.max(0, Math.min(255, c)) << shift;
        }
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  private static int errors(Mask mask) {
    int wrong = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        wrong += mask.contains(x, y) != inDisc(x, y) ? 1 : 0;
      }
    }
    return wrong;
  }

  @Test
  void noisyDiscOnPlainBackgroundIsSegmentedWithUnderOnePercentPixelError() {
    Mask mask = Silhouette.segment(disc(0x3060a0, 0xeeeeee, 6, 1));
    assertThat(mask.width()).isEqualTo(W);
    assertThat(mask.height()).isEqualTo(H);
    assertThat(errors(mask)).isLessThan(W * H / 100);
  }

  @Test
  void specksAreDroppedAndHolesFilled() {
    BufferedImage image = disc(0x802020, 0xf0f0f0, 0, 2);
    Random random = new Random(3);
    // 3x3 specks of object colour on the background
    for (int s = 0; s < 40; s++) {
      int x = random.nextInt(W - 3);
      int y = random.nextInt(H - 3);
      if (!inDisc(x, y) && !inDisc(x + 2, y + 2) && !inDisc(x, y + 2) && !inDisc(x + 2, y)) {
        for (int k = 0; k < 9; k++) {
          image.setRGB(x + k % 3, y + k / 3, 0x802020);
        }
      }
    }
    // background-coloured holes inside the object: a blob and scattered pixels
    for (int y = CY - 20; y < CY + 20; y++) {
      for (int x = CX - 30; x < CX + 10; x++) {
        image.setRGB(x, y, 0xf0f0f0);
      }
    }
    for (int s = 0; s < 200; s++) {
      int x = CX - 100 + random.nextInt(200);
      int y = CY - 100 + random.nextInt(200);
      image.setRGB(x, y, 0xf0f0f0);
    }
    assertThat(errors(Silhouette.segment(image))).isZero();
  }

  @Test
  void lowContrastPartsOfAMultiColouredObjectStayForeground() {
    // why: the left half is only ~55 away from the background, the right half ~400; a threshold
    // splitting the object's two colours (as Otsu would) would drop the left half
    BufferedImage image = disc(0x101010, 0xf0f0f0, 2, 4);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < CX; x++) {
        if (inDisc(x, y)) {
          image.setRGB(x, y, 0xd0d0d0);
        }
      }
    }
    assertThat(errors(Silhouette.segment(image))).isLessThan(W * H / 1000);
  }

  @Test
  void transparentBackgroundIsCutByAlpha() {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
    Random random = new Random(5);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        // transparent pixels carry arbitrary colour, as many cut-out tools leave them
        int argb = inDisc(x, y) ? 0xff204080 : random.nextInt(0x01000000);
        image.setRGB(x, y, argb);
      }
    }
    assertThat(errors(Silhouette.segment(image))).isZero();
  }

  @Test
  void plainImageHasNoForeground() {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    assertThat(Silhouette.segment(image).area()).isZero();
  }
}
