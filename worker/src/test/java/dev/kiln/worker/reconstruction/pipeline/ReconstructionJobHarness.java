package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.json.KilnJson;
import dev.kiln.worker.pipeline.RunOutcome;
import dev.kiln.worker.testing.PipelineHarness;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Runs reconstruction jobs through the real pipeline runner against an in-memory store. */
final class ReconstructionJobHarness extends PipelineHarness {

  ReconstructionJobHarness() {
    super(new ReconstructionPipeline());
  }

  RunOutcome run(ObjectNode params, byte[] input, String contentType) {
    return run(params, List.of(new Input("input", input, contentType)));
  }

  JsonNode metadata() throws IOException {
    return KilnJson.mapper().readTree(artifact(ModelExport.METADATA));
  }

  /**
   * Grey, bright centre fading to black at the corners: luminance equals v / 255 exactly, so
   * heights are predictable, and the dome is smooth so decimation has real work.
   */
  static byte[] radialGradientPng(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    double rMax = Math.hypot(cx, cy);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = (int) Math.round(255 * (1 - Math.hypot(x - cx, y - cy) / rMax));
        img.setRGB(x, y, (v << 16) | (v << 8) | v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
