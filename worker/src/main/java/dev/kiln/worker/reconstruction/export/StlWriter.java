package dev.kiln.worker.reconstruction.export;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Binary STL: 80-byte header, face count, then normal + three corners + attribute per face. */
public final class StlWriter {

  private StlWriter() {}

  public static void write(Mesh mesh, OutputStream out) throws IOException {
    byte[] header = new byte[80];
    // why: a header starting with "solid" makes some readers treat the file as ASCII STL
    byte[] text = "Kiln reconstruction binary STL, millimetres".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, header, 0, text.length);
    out.write(header);
    int faces = mesh.faceCount();
    ByteBuffer buf = ByteBuffer.allocate(4 + 50 * faces).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(faces);
    float[] p = mesh.positions();
    int[] t = mesh.triangles();
    double[] n = new double[3];
    for (int f = 0; f < faces; f++) {
      mesh.faceNormal(f, n);
      double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
      double scale = len == 0 ? 0 : 1 / len;
      buf.putFloat((float) (n[0] * scale))
          .putFloat((float) (n[1] * scale))
          .putFloat((float) (n[2] * scale));
      for (int k = 0; k < 3; k++) {
        int v = 3 * t[3 * f + k];
        buf.putFloat(p[v]).putFloat(p[v + 1]).putFloat(p[v + 2]);
      }
      buf.putShort((short) 0);
    }
    out.write(buf.array());
    out.flush();
  }
}
