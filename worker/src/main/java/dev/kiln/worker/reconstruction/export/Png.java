package dev.kiln.worker.reconstruction.export;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** PNG encoding of the texture, shared by the GLB (embedded) and OBJ (texture.png) writers. */
public final class Png {

  private Png() {}

  public static byte[] encode(BufferedImage image) {
    // why: PNG cannot carry every BufferedImage type (e.g. CMYK), so normalise to plain RGB first
    BufferedImage rgb = image;
    if (image.getType() != BufferedImage.TYPE_INT_RGB
        && image.getType() != BufferedImage.TYPE_3BYTE_BGR) {
      rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
      rgb.getGraphics().drawImage(image, 0, 0, null);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(rgb, "png", out)) {
        throw new IllegalStateException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
