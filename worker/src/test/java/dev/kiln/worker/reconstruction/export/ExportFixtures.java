package dev.kiln.worker.reconstruction.export;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.relief.HeightField;
import dev.kiln.worker.reconstruction.relief.ReliefBuilder;
import dev.kiln.worker.reconstruction.relief.ReliefParams;
import java.awt.image.BufferedImage;

final class ExportFixtures {

  private ExportFixtures() {}

  static BufferedImage image() {
    BufferedImage image = new BufferedImage(23, 17, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 17; y++) {
      for (int x = 0; x < 23; x++) {
        image.setRGB(x, y, (x * 11 << 16) | (y * 15 << 8) | ((x * y) & 0xff));
      }
    }
    return image;
  }

  static Mesh relief() {
    return ReliefBuilder.build(
        image(), new ReliefParams(60, 8, 2, false, 1, HeightField.Smoothing.GAUSSIAN));
  }
}
