package dev.kiln.worker.reconstruction.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.mesh.QuadricDecimator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaceLimitAcrossFormatsTest {

  @TempDir Path dir;

  @Test
  void decimatedFaceCountIsWhatEveryFormatCarries() throws Exception {
    int limit = 300;
    Mesh mesh = new QuadricDecimator(limit, null).decimate(ExportFixtures.relief()).mesh();
    assertThat(mesh.faceCount()).isBetween(270, limit);

    ByteArrayOutputStream glb = new ByteArrayOutputStream();
    GlbWriter.write(mesh, Png.encode(ExportFixtures.image()), glb);
    var json = GlbWriterTest.Glb.parse(glb.toByteArray()).json();
    int indices = json.at("/meshes/0/primitives/0/indices").asInt();
    assertThat(json.at("/accessors/" + indices + "/count").asInt() / 3).isEqualTo(mesh.faceCount());

    ByteArrayOutputStream stl = new ByteArrayOutputStream();
    StlWriter.write(mesh, stl);
    int stlFaces =
        ByteBuffer.wrap(stl.toByteArray(), 80, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    assertThat(stlFaces).isEqualTo(mesh.faceCount());

    ObjWriter.writeAll(mesh, null, dir);
    long objFaces =
        Files.readAllLines(dir.resolve("model.obj")).stream()
            .filter(l -> l.startsWith("f "))
            .count();
    assertThat(objFaces).isEqualTo(mesh.faceCount());
    assertThat(Files.readString(dir.resolve("model.mtl"))).doesNotContain("map_Kd");
  }
}
