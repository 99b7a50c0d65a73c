package dev.kiln.worker.reconstruction.export;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Point cloud of the mesh's vertices as binary little-endian PLY with per-point colour. */
public final class PlyWriter {

  /** Colour of points when the mesh carries none: the same light grey as the preview. */
  private static final byte GREY = (byte) 200;

  private PlyWriter() {}

  public static void write(Mesh mesh, OutputStream out) throws IOException {
    int n = mesh.vertexCount();
    String header =
        "ply\n"
            + "format binary_little_endian 1.0\n"
            + "comment Kiln reconstruction, millimetres, Z up\n"
            + "element vertex "
            + n
            + "\n"
            + "property float x\nproperty float y\nproperty float z\n"
            + "property uchar red\nproperty uchar green\nproperty uchar blue\n"
            + "end_header\n";
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    float[] p = mesh.positions();
    byte[] c = mesh.colors();
    ByteBuffer record = ByteBuffer.allocate(15 * Math.min(n, 4096)).order(ByteOrder.LITTLE_ENDIAN);
    for (int v = 0; v < n; v++) {
      if (!record.hasRemaining()) {
        out.write(record.array(), 0, record.position());
        record.clear();
      }
      record.putFloat(p[3 * v]).putFloat(p[3 * v + 1]).putFloat(p[3 * v + 2]);
      for (int k = 0; k < 3; k++) {
        record.put(c == null ? GREY : c[3 * v + k]);
      }
    }
    out.write(record.array(), 0, record.position());
    out.flush();
  }
}
