package dev.kiln.worker.reconstruction.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeshTest {

  @Test
  void closedBoxIsWatertightWithItsVolumeAndArea() {
    Mesh box = TestMeshes.box(2, 3, 4);
    assertThat(box.isWatertight()).isTrue();
    assertThat(box.volume()).isCloseTo(24.0, within(1e-9));
    assertThat(box.surfaceArea()).isCloseTo(2 * (6 + 8 + 12), within(1e-9));
    assertThat(box.faceCount()).isEqualTo(12);
    assertThat(box.vertexCount()).isEqualTo(8);
  }

  @Test
  void boundsSpanTheVertices() {
    Mesh.Bounds b = TestMeshes.box(2, 3, 4).bounds();
    assertThat(b.min()).containsExactly(0f, 0f, 0f);
    assertThat(b.max()).containsExactly(2f, 3f, 4f);
    assertThat(b.diagonal()).isCloseTo(Math.sqrt(29), within(1e-9));
  }

  @Test
  void oneFlippedFaceBreaksWatertightness() {
    Mesh box = TestMeshes.box(1, 1, 1);
    int[] t = box.triangles().clone();
    int swap = t[1];
    t[1] = t[2];
    t[2] = swap;
    Mesh flipped = new Mesh(box.positions(), null, null, t);
    assertThat(flipped.isWatertight()).isFalse();
  }

  @Test
  void openSurfaceIsNotWatertight() {
    Mesh box = TestMeshes.box(1, 1, 1);
    int[] t = java.util.Arrays.copyOf(box.triangles(), box.triangles().length - 3);
    assertThat(new Mesh(box.positions(), null, null, t).isWatertight()).isFalse();
    assertThat(TestMeshes.plane(4, 1).isWatertight()).isFalse();
  }

  @Test
  void insideOutBoxHasNegativeVolume() {
    Mesh box = TestMeshes.box(1, 2, 3);
    int[] t = box.triangles().clone();
    for (int f = 0; f < t.length; f += 3) {
      int swap = t[f + 1];
      t[f + 1] = t[f + 2];
      t[f + 2] = swap;
    }
    Mesh inverted = new Mesh(box.positions(), null, null, t);
    assertThat(inverted.isWatertight()).isTrue();
    assertThat(inverted.volume()).isCloseTo(-6.0, within(1e-9));
  }

  @Test
  void vertexNormalsAreUnitLength() {
    float[] n = TestMeshes.box(1, 2, 3).vertexNormals();
    for (int v = 0; v < n.length; v += 3) {
      double len = Math.sqrt(n[v] * n[v] + n[v + 1] * n[v + 1] + n[v + 2] * n[v + 2]);
      assertThat(len).isCloseTo(1.0, within(1e-6));
    }
  }
}
