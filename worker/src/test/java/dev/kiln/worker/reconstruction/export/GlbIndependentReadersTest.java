package dev.kiln.worker.reconstruction.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.javagl.jgltf.model.GltfModel;
import de.javagl.jgltf.model.MeshPrimitiveModel;
import de.javagl.jgltf.model.io.GltfModelReader;
import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.mesh.TestMeshes;
import dev.kiln.worker.testing.GltfValidator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** GLBs read back by tools that did not write them: the Khronos validator and jgltf. */
class GlbIndependentReadersTest {

  private static byte[] write(Mesh mesh, byte[] png) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GlbWriter.write(mesh, png, out);
    return out.toByteArray();
  }

  @Test
  void texturedReliefPassesTheKhronosValidatorWithoutErrors() throws Exception {
    JsonNode report =
        GltfValidator.validate(write(ExportFixtures.relief(), Png.encode(ExportFixtures.image())));

    assertThat(report.at("/issues/numErrors").asInt()).as(report.toString()).isZero();
    assertThat(report.at("/info/totalTriangleCount").asInt())
        .isEqualTo(ExportFixtures.relief().faceCount());
    assertThat(report.at("/info/hasTextures").asBoolean()).isTrue();
  }

  @Test
  void untexturedMeshPassesTheKhronosValidatorWithoutErrors() throws Exception {
    JsonNode report = GltfValidator.validate(write(TestMeshes.box(3, 4, 5), null));

    assertThat(report.at("/issues/numErrors").asInt()).as(report.toString()).isZero();
    assertThat(report.at("/info/totalTriangleCount").asInt()).isEqualTo(12);
  }

  @Test
  void jgltfReadsTheSameVertexAndFaceCounts() throws Exception {
    Mesh mesh = ExportFixtures.relief();
    byte[] glb = write(mesh, Png.encode(ExportFixtures.image()));

    GltfModel model = new GltfModelReader().readWithoutReferences(new ByteArrayInputStream(glb));
    MeshPrimitiveModel primitive =
        model.getMeshModels().getFirst().getMeshPrimitiveModels().getFirst();

    assertThat(primitive.getAttributes().get("POSITION").getCount()).isEqualTo(mesh.vertexCount());
    assertThat(primitive.getIndices().getCount()).isEqualTo(3 * mesh.faceCount());
    assertThat(model.getImageModels()).hasSize(1);
  }
}
