package dev.kiln.worker.reconstruction.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFormatsTest {

  @TempDir Path dir;

  @Test
  void objReadsBackToTheSameVerticesFacesAndFlippedUvs() throws Exception {
    Mesh mesh = ExportFixtures.relief();
    ObjWriter.writeAll(mesh, Png.encode(ExportFixtures.image()), dir);
    List<float[]> v = new ArrayList<>();
    List<float[]> vt = new ArrayList<>();
    List<int[]> f = new ArrayList<>();
    String mtllib = null;
    for (String line : Files.readAllLines(dir.resolve("model.obj"))) {
      String[] s = line.trim().split("\\s+");
      switch (s[0]) {
        case "mtllib" -> mtllib = s[1];
        case "v" -> v.add(floats(s, 3));
        case "vt" -> vt.add(floats(s, 2));
        case "f" -> {
          assertThat(s).hasSize(4);
          int[] face = new int[3];
          for (int k = 0; k < 3; k++) {
            String[] refs = s[k + 1].split("/");
            face[k] = Integer.parseInt(refs[0]) - 1;
            assertThat(Integer.parseInt(refs[1]) - 1).isEqualTo(face[k]);
          }
          f.add(face);
        }
        default -> {}
      }
    }
    assertThat(mtllib).isEqualTo("model.mtl");
    assertThat(v).hasSize(mesh.vertexCount());
    assertThat(f).hasSize(mesh.faceCount());
    for (int i = 0; i < mesh.faceCount(); i++) {
      assertThat(f.get(i))
          .containsExactly(
              mesh.triangles()[3 * i], mesh.triangles()[3 * i + 1], mesh.triangles()[3 * i + 2]);
    }
    for (int i = 0; i < mesh.vertexCount(); i++) {
      assertThat(v.get(i)[2]).isEqualTo(mesh.positions()[3 * i + 2]);
      assertThat(vt.get(i)[1]).isCloseTo(1 - mesh.uvs()[2 * i + 1], within(1e-6f));
    }
    String mtl = Files.readString(dir.resolve("model.mtl"));
    assertThat(mtl).contains("newmtl relief").contains("map_Kd texture.png");
    assertThat(Files.readAllBytes(dir.resolve("texture.png")))
        .startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
  }

  private static float[] floats(String[] s, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = Float.parseFloat(s[i + 1]);
    }
    return out;
  }
}
