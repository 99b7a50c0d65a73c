package dev.kiln.worker.reconstruction.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryFormatsTest {

  @Test
  void plyPointCloudHoldsEveryVertexWithItsColour() throws Exception {
    Mesh mesh = ExportFixtures.relief();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PlyWriter.write(mesh, out);
    byte[] bytes = out.toByteArray();
    String marker = "end_header\n";
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int body = text.indexOf(marker) + marker.length();
    List<String> properties = new ArrayList<>();
    int count = -1;
    for (String line : text.substring(0, body).split("\n")) {
      if (line.startsWith("element vertex ")) {
        count = Integer.parseInt(line.substring(15));
      } else if (line.startsWith("property ")) {
        properties.add(line.substring(9));
      } else if (line.startsWith("element ")) {
        throw new AssertionError("a point cloud has no other elements: " + line);
      }
    }
    assertThat(properties)
        .containsExactly("float x", "float y", "float z", "uchar red", "uchar green", "uchar blue");
    assertThat(count).isEqualTo(mesh.vertexCount());
    assertThat(bytes.length - body).isEqualTo(15 * count);
    ByteBuffer b = ByteBuffer.wrap(bytes, body, bytes.length - body).order(ByteOrder.LITTLE_ENDIAN);
    for (int v = 0; v < count; v++) {
      for (int k = 0; k < 3; k++) {
        assertThat(b.getFloat()).isEqualTo(mesh.positions()[3 * v + k]);
      }
      for (int k = 0; k < 3; k++) {
        assertThat(b.get()).isEqualTo(mesh.colors()[3 * v + k]);
      }
    }
  }

  @Test
  void stlHasTheMeshFacesWithUnitOutwardNormals() throws Exception {
    Mesh mesh = ExportFixtures.relief();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StlWriter.write(mesh, out);
    byte[] bytes = out.toByteArray();
    assertThat(new String(bytes, 0, 5, StandardCharsets.US_ASCII)).isNotEqualTo("solid");
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.position(80);
    int faces = b.getInt();
    assertThat(faces).isEqualTo(mesh.faceCount());
    assertThat(bytes.length).isEqualTo(84 + 50 * faces);
    double signedVolume = 0;
    for (int f = 0; f < faces; f++) {
      float nx = b.getFloat(), ny = b.getFloat(), nz = b.getFloat();
      assertThat(Math.sqrt(nx * nx + ny * ny + nz * nz)).isCloseTo(1, within(1e-5));
      float[][] corner = new float[3][3];
      for (int k = 0; k < 3; k++) {
        int v = mesh.triangles()[3 * f + k];
        for (int a = 0; a < 3; a++) {
          corner[k][a] = b.getFloat();
          assertThat(corner[k][a]).isEqualTo(mesh.positions()[3 * v + a]);
        }
      }
      // the stored normal must agree with the winding, i.e. point out of the solid
      double ux = corner[1][0] - corner[0][0], uy = corner[1][1] - corner[0][1];
      double uz = corner[1][2] - corner[0][2];
      double vx = corner[2][0] - corner[0][0], vy = corner[2][1] - corner[0][1];
      double vz = corner[2][2] - corner[0][2];
      double cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
      assertThat(cx * nx + cy * ny + cz * nz).isGreaterThan(0);
      signedVolume +=
          corner[0][0] * (corner[1][1] * corner[2][2] - corner[1][2] * corner[2][1])
              - corner[0][1] * (corner[1][0] * corner[2][2] - corner[1][2] * corner[2][0])
              + corner[0][2] * (corner[1][0] * corner[2][1] - corner[1][1] * corner[2][0]);
      assertThat(b.getShort()).isZero();
    }
    assertThat(signedVolume / 6).isCloseTo(mesh.volume(), within(1e-3 * mesh.volume()));
  }
}
