package dev.kiln.worker.reconstruction.depth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscontinuityTest {

  private static DepthReconstruction.Result build(DepthMap map, double ratio) {
    return build(map, ratio, 100);
  }

  private static DepthReconstruction.Result build(DepthMap map, double ratio, double f) {
    Intrinsics k = new Intrinsics(f, f, (map.width() - 1) / 2.0, (map.height() - 1) / 2.0);
    return DepthReconstruction.build(
        map, DepthFixtures.distinctColours(map.width(), map.height()), k, ratio, null);
  }

  private static float[] twoPlanes(int w, int h, int split, float left, float right) {
    float[] mm = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        mm[y * w + x] = x < split ? left : right;
      }
    }
    return mm;
  }

  @Test
  void twoPlanesSideBySideGiveTwoComponentsAndNoBridgingTriangle() {
    DepthMap map = new DepthMap(80, 60, twoPlanes(80, 60, 37, 500, 800), 1);

    DepthReconstruction.Result result = build(map, 0.05);

    Mesh mesh = result.mesh();
    float[] p = mesh.positions();
    int[] t = mesh.triangles();
    for (int f = 0; f < t.length; f += 3) {
      float depth = p[3 * t[f] + 1];
      assertThat(depth).isIn(500f, 800f);
      assertThat(p[3 * t[f + 1] + 1]).as("face %d stays on one plane", f / 3).isEqualTo(depth);
      assertThat(p[3 * t[f + 2] + 1]).as("face %d stays on one plane", f / 3).isEqualTo(depth);
    }
    assertThat(MeshTopology.components(mesh)).isEqualTo(2);
    assertThat(result.droppedTriangles()).isEqualTo(2 * 59);
    assertThat(mesh.faceCount()).isEqualTo(2 * 59 * (36 + 42));
  }

  @Test
  void theRatioDecidesHowLargeAStepIsAnEdge() {
    float[] tenPercentStep = twoPlanes(40, 30, 20, 1000, 1100);

    Mesh strict = build(new DepthMap(40, 30, tenPercentStep.clone(), 1), 0.05).mesh();
    Mesh lenient = build(new DepthMap(40, 30, tenPercentStep, 1), 0.2).mesh();

    assertThat(MeshTopology.components(strict)).isEqualTo(2);
    assertThat(MeshTopology.components(lenient)).isEqualTo(1);
  }

  @Test
  void planeTurnedEightyDegreesFromTheCameraIsNotTorn() {
    int w = 64;
    int h = 48;
    // why: the focal length of the medium grid (512 px, 60°), which the default ratio is tuned for
    double f = 256 / Math.tan(Math.toRadians(30));
    double slope = Math.tan(Math.toRadians(80)) / f;
    float[] mm = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // why: the plane Z = 600 + X tan(80°) seen through pixel x, with X = (x - cx) Z / fx
        mm[y * w + x] = (float) (600 / (1 - (x - (w - 1) / 2.0) * slope));
      }
    }

    DepthReconstruction.Result result = build(new DepthMap(w, h, mm, 0), 0.05, f);

    assertThat(result.droppedTriangles()).isZero();
    assertThat(result.mesh().faceCount()).isEqualTo(2 * (w - 1) * (h - 1));
  }

  @Test
  void oneQuantisationStepNeverCountsAsADiscontinuity() {
    int w = 40;
    int h = 10;
    float[] mm = new float[w * h];
    for (int i = 0; i < mm.length; i++) {
      // why: at 10 mm, 5% is half a millimetre, less than the 1 mm step of a 16-bit map
      mm[i] = 10 + (i % w) / 4;
    }

    DepthReconstruction.Result quantised = build(new DepthMap(w, h, mm.clone(), 1), 0.05);
    DepthReconstruction.Result exact = build(new DepthMap(w, h, mm, 0), 0.05);

    assertThat(quantised.droppedTriangles()).isZero();
    assertThat(MeshTopology.components(quantised.mesh())).isEqualTo(1);
    assertThat(exact.droppedTriangles()).isPositive();
  }

  @Test
  void cellWithOneMissingOrFarCornerKeepsTheTriangleOfTheOtherThree() {
    float nan = Float.NaN;
    Mesh missing = build(new DepthMap(2, 2, new float[] {500, 500, nan, 500}, 1), 0.05).mesh();
    DepthReconstruction.Result far =
        build(new DepthMap(2, 2, new float[] {500, 900, 500, 500}, 1), 0.05);

    assertThat(missing.faceCount()).isEqualTo(1);
    assertThat(missing.vertexCount()).isEqualTo(3);
    assertThat(far.mesh().faceCount()).isEqualTo(1);
    assertThat(far.mesh().vertexCount()).isEqualTo(3);
    assertThat(far.droppedTriangles()).isEqualTo(1);
    assertThat(far.pointCloud().vertexCount()).isEqualTo(4);
  }

  @Test
  void eachCellFoldsAlongTheDiagonalWhoseEndsDifferLessInDepth() {
    int w = 40;
    int h = 30;
    float[] mm = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // why: the slope turns through every direction, so both diagonals get chosen
        mm[y * w + x] = (float) (600 + 20 * Math.sin(x / 3.0) * Math.cos(y / 4.0));
      }
    }

    Mesh mesh = build(new DepthMap(w, h, mm, 0), 0.05).mesh();

    int[] vertexOf = new int[w * h];
    float[] uv = mesh.uvs();
    for (int v = 0; v < mesh.vertexCount(); v++) {
      int x = (int) Math.round(uv[2 * v] * w - 0.5);
      int y = (int) Math.round(uv[2 * v + 1] * h - 0.5);
      vertexOf[y * w + x] = v;
    }
    Set<Long> edges = new HashSet<>();
    int[] t = mesh.triangles();
    for (int f = 0; f < t.length; f += 3) {
      for (int c = 0; c < 3; c++) {
        edges.add(edge(t[f + c], t[f + (c + 1) % 3]));
      }
    }
    int[] chosen = new int[2];
    for (int y = 0; y + 1 < h; y++) {
      for (int x = 0; x + 1 < w; x++) {
        int tl = y * w + x;
        int br = tl + w + 1;
        boolean main = edges.contains(edge(vertexOf[tl], vertexOf[br]));
        boolean anti = edges.contains(edge(vertexOf[tl + 1], vertexOf[tl + w]));
        assertThat(main).as("cell %d,%d has exactly one diagonal", x, y).isNotEqualTo(anti);
        float mainDiff = Math.abs(mm[tl] - mm[br]);
        float antiDiff = Math.abs(mm[tl + 1] - mm[tl + w]);
        assertThat(main ? mainDiff : antiDiff)
            .as("cell %d,%d", x, y)
            .isLessThanOrEqualTo(main ? antiDiff : mainDiff);
        chosen[main ? 0 : 1]++;
      }
    }
    assertThat(chosen[0]).as("cells folded along tl-br").isGreaterThan(100);
    assertThat(chosen[1]).as("cells folded along tr-bl").isGreaterThan(100);
  }

  private static long edge(int a, int b) {
    return ((long) Math.min(a, b) << 32) | Math.max(a, b);
  }
}
