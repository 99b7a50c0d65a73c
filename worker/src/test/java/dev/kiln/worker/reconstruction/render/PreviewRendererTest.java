package dev.kiln.worker.reconstruction.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.reconstruction.export.Png;
import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.relief.HeightField;
import dev.kiln.worker.reconstruction.relief.ReliefBuilder;
import dev.kiln.worker.reconstruction.relief.ReliefParams;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PreviewRendererTest {

  @Test
  void previewIsA512SquarePngThatShowsTheModel() throws Exception {
    BufferedImage source = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        source.setRGB(x, y, ((x * 4) << 16) | ((y * 5) << 8) | 128);
      }
    }
    Mesh relief =
        ReliefBuilder.build(
            source, new ReliefParams(80, 10, 2, false, 0, HeightField.Smoothing.BOX));
    BufferedImage preview =
        ImageIO.read(new ByteArrayInputStream(Png.encode(PreviewRenderer.render(relief))));
    assertThat(preview.getWidth()).isEqualTo(512);
    assertThat(preview.getHeight()).isEqualTo(512);
    int covered = 0;
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) {
        if ((preview.getRGB(x, y) & 0xffffff) != (PreviewRenderer.BACKGROUND & 0xffffff)) {
          covered++;
        }
      }
    }
    // the model fills a good part of the frame without covering all of it
    assertThat(covered).isBetween(512 * 512 / 10, 512 * 512 - 1000);
    assertThat(preview.getRGB(256, 256) & 0xffffff)
        .isNotEqualTo(PreviewRenderer.BACKGROUND & 0xffffff);
  }

  @Test
  void nearerSurfaceHidesTheOneBehindItAtTheCentre() {
    // a green cube standing on a red plate; the cube's triangles come first, so without a
    // z-buffer the plate drawn afterwards would paint over the centre
    float[] p = {
      4,
      4,
      0,
      6,
      4,
      0,
      6,
      6,
      0,
      4,
      6,
      0,
      4,
      4,
      2,
      6,
      4,
      2,
      6,
      6,
      2,
      4,
      6,
      2, // cube
      0,
      0,
      0,
      10,
      0,
      0,
      10,
      10,
      0,
      0,
      10,
      0 // plate
    };
    int[] t = {
      4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 1, 2, 6, 1, 6, 5, 2, 3, 7, 2, 7, 6, 3, 0, 4, 3, 4, 7, 8,
      9, 10, 8, 10, 11
    };
    byte[] colors = new byte[3 * 12];
    for (int v = 0; v < 12; v++) {
      colors[3 * v + (v < 8 ? 1 : 0)] = (byte) 255;
    }
    BufferedImage preview = PreviewRenderer.render(new Mesh(p, null, colors, t));
    int centre = preview.getRGB(256, 256);
    assertThat((centre >> 8) & 0xff).as("green").isGreaterThan(60);
    assertThat((centre >> 16) & 0xff).as("red").isZero();
    int plate = 0;
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x++) {
        int rgb = preview.getRGB(x, y);
        if (((rgb >> 16) & 0xff) > 60 && ((rgb >> 8) & 0xff) == 0) {
          plate++;
        }
      }
    }
    assertThat(plate).as("plate pixels around the cube").isGreaterThan(10_000);
  }

  @Test
  void emptyMeshRendersOnlyBackground() {
    BufferedImage preview = PreviewRenderer.render(new Mesh(new float[0], null, null, new int[0]));
    assertThat(preview.getRGB(256, 256)).isEqualTo(PreviewRenderer.BACKGROUND);
  }
}
