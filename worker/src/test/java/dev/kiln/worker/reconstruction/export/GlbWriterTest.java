package dev.kiln.worker.reconstruction.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.mesh.TestMeshes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class GlbWriterTest {

  /** Minimal independent GLB reader: header, two chunks, JSON parsed by Jackson. */
  record Glb(JsonNode json, ByteBuffer bin, int declaredLength, int jsonChunkLength) {
    static Glb parse(byte[] bytes) throws Exception {
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(b.getInt()).as("magic").isEqualTo(0x46546C67);
      assertThat(b.getInt()).as("version").isEqualTo(2);
      int length = b.getInt();
      int jsonLength = b.getInt();
      assertThat(b.getInt()).as("JSON chunk type").isEqualTo(0x4E4F534A);
      byte[] json = new byte[jsonLength];
      b.get(json);
      int binLength = b.getInt();
      assertThat(b.getInt()).as("BIN chunk type").isEqualTo(0x004E4942);
      assertThat(binLength % 4).isZero();
      ByteBuffer bin = b.slice(b.position(), binLength).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(b.position() + binLength).isEqualTo(bytes.length);
      return new Glb(
          new ObjectMapper().readTree(new String(json, StandardCharsets.UTF_8)),
          bin,
          length,
          jsonLength);
    }

    ByteBuffer view(int accessor) {
      JsonNode view = json.at("/bufferViews/" + json.at("/accessors/" + accessor + "/bufferView"));
      return bin.slice(view.get("byteOffset").asInt(), view.get("byteLength").asInt())
          .order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  private static byte[] write(Mesh mesh, byte[] png) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GlbWriter.write(mesh, png, out);
    return out.toByteArray();
  }

  @Test
  void glbIsAlignedAndItsIndicesAreTheMeshFaces() throws Exception {
    Mesh mesh = ExportFixtures.relief();
    byte[] bytes = write(mesh, Png.encode(ExportFixtures.image()));
    Glb glb = Glb.parse(bytes);
    assertThat(glb.declaredLength()).isEqualTo(bytes.length);
    assertThat(glb.jsonChunkLength() % 4).isZero();
    assertThat(glb.json().at("/asset/version").asText()).isEqualTo("2.0");
    assertThat(glb.json().at("/buffers/0/byteLength").asInt()).isEqualTo(glb.bin().capacity());
    for (JsonNode view : glb.json().get("bufferViews")) {
      assertThat(view.get("byteOffset").asInt() % 4).isZero();
      assertThat(view.get("byteOffset").asInt() + view.get("byteLength").asInt())
          .isLessThanOrEqualTo(glb.bin().capacity());
    }
    JsonNode primitive = glb.json().at("/meshes/0/primitives/0");
    int indices = primitive.get("indices").asInt();
    assertThat(glb.json().at("/accessors/" + indices + "/componentType").asInt()).isEqualTo(5125);
    assertThat(glb.json().at("/accessors/" + indices + "/count").asInt())
        .isEqualTo(3 * mesh.faceCount());
    ByteBuffer ib = glb.view(indices);
    for (int i = 0; i < mesh.triangles().length; i++) {
      assertThat(ib.getInt()).isEqualTo(mesh.triangles()[i]);
    }
  }

  @Test
  void positionAccessorBoundsEqualTheDataAndTheMesh() throws Exception {
    Mesh mesh = ExportFixtures.relief();
    Glb glb = Glb.parse(write(mesh, Png.encode(ExportFixtures.image())));
    JsonNode attributes = glb.json().at("/meshes/0/primitives/0/attributes");
    for (String name : new String[] {"POSITION", "NORMAL", "TEXCOORD_0"}) {
      int accessor = attributes.get(name).asInt();
      JsonNode acc = glb.json().at("/accessors/" + accessor);
      assertThat(acc.get("count").asInt()).isEqualTo(mesh.vertexCount());
      int width = name.equals("TEXCOORD_0") ? 2 : 3;
      float[] min = new float[width];
      float[] max = new float[width];
      java.util.Arrays.fill(min, Float.MAX_VALUE);
      java.util.Arrays.fill(max, -Float.MAX_VALUE);
      ByteBuffer data = glb.view(accessor);
      for (int i = 0; i < width * mesh.vertexCount(); i++) {
        float v = data.getFloat();
        min[i % width] = Math.min(min[i % width], v);
        max[i % width] = Math.max(max[i % width], v);
      }
      for (int k = 0; k < width; k++) {
        assertThat((float) acc.get("min").get(k).asDouble()).as(name).isEqualTo(min[k]);
        assertThat((float) acc.get("max").get(k).asDouble()).as(name).isEqualTo(max[k]);
      }
    }
    JsonNode pos = glb.json().at("/accessors/" + attributes.get("POSITION").asInt());
    Mesh.Bounds bounds = mesh.bounds();
    for (int k = 0; k < 3; k++) {
      assertThat((float) pos.get("min").get(k).asDouble()).isEqualTo(bounds.min()[k]);
      assertThat((float) pos.get("max").get(k).asDouble()).isEqualTo(bounds.max()[k]);
    }
    ByteBuffer normals = glb.view(attributes.get("NORMAL").asInt());
    for (int v = 0; v < mesh.vertexCount(); v++) {
      double x = normals.getFloat(), y = normals.getFloat(), z = normals.getFloat();
      assertThat(Math.sqrt(x * x + y * y + z * z)).isCloseTo(1, within(1e-5));
    }
  }

  @Test
  void textureIsAnEmbeddedPngReferencedByTheMaterial() throws Exception {
    BufferedImage image = ExportFixtures.image();
    Glb glb = Glb.parse(write(ExportFixtures.relief(), Png.encode(image)));
    JsonNode json = glb.json();
    int texture = json.at("/materials/0/pbrMetallicRoughness/baseColorTexture/index").asInt();
    int source = json.at("/textures/" + texture + "/source").asInt();
    JsonNode img = json.at("/images/" + source);
    assertThat(img.get("mimeType").asText()).isEqualTo("image/png");
    JsonNode view = json.at("/bufferViews/" + img.get("bufferView").asInt());
    byte[] png = new byte[view.get("byteLength").asInt()];
    glb.bin().get(view.get("byteOffset").asInt(), png);
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(decoded.getWidth()).isEqualTo(image.getWidth());
    assertThat(decoded.getRGB(7, 5) & 0xffffff).isEqualTo(image.getRGB(7, 5) & 0xffffff);
  }

  @Test
  void untexturedMeshGetsAPlainMaterialAndNoImage() throws Exception {
    Mesh box = TestMeshes.box(3, 4, 5);
    Glb glb = Glb.parse(write(box, null));
    assertThat(glb.json().has("images")).isFalse();
    assertThat(glb.json().at("/meshes/0/primitives/0/attributes").has("TEXCOORD_0")).isFalse();
    assertThat(glb.json().at("/materials/0/pbrMetallicRoughness/baseColorFactor").size())
        .isEqualTo(4);
    int indices = glb.json().at("/meshes/0/primitives/0/indices").asInt();
    assertThat(glb.json().at("/accessors/" + indices + "/count").asInt()).isEqualTo(36);
  }
}
