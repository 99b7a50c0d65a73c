package dev.kiln.worker.reconstruction.depth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DepthReconstructionTest {

  private static final int W = 64;
  private static final int H = 48;
  private static final Intrinsics K = new Intrinsics(90, 95, 30.2, 25.7);

  /** A smooth wavy surface with a hole, so there are both faces and missing pixels. */
  private static DepthMap wavy() {
    float[] mm = new float[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean hole = Math.abs(x - 20) < 5 && Math.abs(y - 30) < 4;
        mm[y * W + x] = hole ? 0 : (float) (800 + 40 * Math.sin(x / 7.0) * Math.cos(y / 5.0));
      }
    }
    return new DepthMap(W, H, mm, 0);
  }

  private static DepthReconstruction.Result build(DepthMap map, BufferedImage colour) {
    return DepthReconstruction.build(map, colour, K, 0.05, null);
  }

  /** The grid pixel a mesh vertex came from, recovered from its uv. */
  private static int[] pixelOf(Mesh mesh, int v, int w, int h) {
    int i = (int) Math.round(mesh.uvs()[2 * v] * w - 0.5);
    int j = (int) Math.round(mesh.uvs()[2 * v + 1] * h - 0.5);
    return new int[] {i, j};
  }

  @Test
  void imageRightIsModelXImageUpIsModelZAndDepthIsModelY() {
    DepthMap map = new DepthMap(3, 3, DepthFixtures.constant(3, 3, 1000), 1);
    Intrinsics k = new Intrinsics(100, 100, 1, 1);

    Mesh cloud =
        DepthReconstruction.build(map, DepthFixtures.distinctColours(3, 3), k, 0.05, null)
            .pointCloud();

    float[] p = cloud.positions();
    int topRight = 2;
    int bottomLeft = 6;
    assertThat(new float[] {p[3 * topRight], p[3 * topRight + 1], p[3 * topRight + 2]})
        .containsExactly(10f, 1000f, 10f);
    assertThat(new float[] {p[3 * bottomLeft], p[3 * bottomLeft + 1], p[3 * bottomLeft + 2]})
        .containsExactly(-10f, 1000f, -10f);
  }

  @Test
  void facesAreCounterClockwiseSeenFromTheCamera() {
    Mesh mesh = build(wavy(), DepthFixtures.distinctColours(W, H)).mesh();

    float[] p = mesh.positions();
    double[] n = new double[3];
    assertThat(mesh.faceCount()).isGreaterThan(W * H);
    for (int f = 0; f < mesh.faceCount(); f++) {
      mesh.faceNormal(f, n);
      int a = 3 * mesh.triangles()[3 * f];
      // why: the camera is at the origin, so -p is the direction from the face to the camera
      double towardsCamera = -(n[0] * p[a] + n[1] * p[a + 1] + n[2] * p[a + 2]);
      assertThat(towardsCamera).as("face %d faces the camera", f).isPositive();
    }
  }

  @Test
  void uvsAreInsideTheUnitSquareAtTheCentreOfTheVertexPixel() {
    DepthMap map = wavy();
    Mesh mesh = build(map, DepthFixtures.distinctColours(W, H)).mesh();

    for (int v = 0; v < mesh.vertexCount(); v++) {
      float u = mesh.uvs()[2 * v];
      float t = mesh.uvs()[2 * v + 1];
      assertThat(u).isStrictlyBetween(0f, 1f);
      assertThat(t).isStrictlyBetween(0f, 1f);
      int[] px = pixelOf(mesh, v, W, H);
      double z = map.at(px[0], px[1]);
      assertThat((double) mesh.positions()[3 * v])
          .isCloseTo((px[0] - K.cx()) * z / K.fx(), within(1e-3));
      assertThat((double) mesh.positions()[3 * v + 1]).isCloseTo(z, within(1e-3));
      assertThat((double) mesh.positions()[3 * v + 2])
          .isCloseTo(-(px[1] - K.cy()) * z / K.fy(), within(1e-3));
    }
  }

  @Test
  void coloursComeFromTheColourPixelUnderTheVertexWhateverTheColourImageSize() {
    DepthMap map = wavy();
    for (int scale : new int[] {1, 2}) {
      Mesh mesh = build(map, DepthFixtures.distinctColours(W * scale, H * scale)).mesh();
      for (int v = 0; v < mesh.vertexCount(); v++) {
        int[] px = pixelOf(mesh, v, W, H);
        // why: the centre of depth pixel i lies in colour pixel i * scale + scale / 2
        int expected = DepthFixtures.rgb(px[0] * scale + scale / 2, px[1] * scale + scale / 2);
        assertThat(rgbOf(mesh, v)).as("vertex %d at scale %d", v, scale).isEqualTo(expected);
      }
    }
    Mesh half = build(map, DepthFixtures.distinctColours(W / 2, H / 2)).mesh();
    for (int v = 0; v < half.vertexCount(); v++) {
      int[] px = pixelOf(half, v, W, H);
      assertThat(rgbOf(half, v)).isEqualTo(DepthFixtures.rgb(px[0] / 2, px[1] / 2));
    }
  }

  @Test
  void pointCloudHasEveryValidPixelInRowOrderWithItsColourAndNoFaces() {
    DepthMap map = wavy();
    DepthReconstruction.Result result = build(map, DepthFixtures.distinctColours(W, H));

    Mesh cloud = result.pointCloud();
    assertThat(cloud.faceCount()).isZero();
    assertThat(cloud.hasUvs()).isFalse();
    assertThat(cloud.vertexCount()).isEqualTo(map.validCount()).isEqualTo(result.validPixels());
    int v = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if (!Float.isNaN(map.at(x, y))) {
          assertThat(cloud.positions()[3 * v + 1]).isEqualTo(map.at(x, y));
          assertThat(rgbOf(cloud, v)).isEqualTo(DepthFixtures.rgb(x, y));
          v++;
        }
      }
    }
  }

  @Test
  void meshLeavesOutPixelsThatNoTriangleUses() {
    float[] mm = new float[8 * 8];
    for (int y = 1; y <= 3; y++) {
      for (int x = 1; x <= 3; x++) {
        mm[y * 8 + x] = 500;
      }
    }
    mm[6 * 8 + 6] = 500;

    DepthReconstruction.Result result =
        build(new DepthMap(8, 8, mm, 1), DepthFixtures.distinctColours(8, 8));

    assertThat(result.pointCloud().vertexCount()).isEqualTo(10);
    assertThat(result.mesh().vertexCount()).isEqualTo(9);
    assertThat(result.mesh().faceCount()).isEqualTo(8);
    assertThat(MeshTopology.everyVertexUsed(result.mesh())).isTrue();
  }

  @Test
  void progressIsNonDecreasingThrottledAndEndsAtOne() {
    List<Double> shares = new ArrayList<>();

    DepthReconstruction.build(wavy(), DepthFixtures.distinctColours(W, H), K, 0.05, shares::add);

    assertThat(shares).isSorted().hasSizeBetween(10, 65);
    assertThat(shares.get(0)).isPositive();
    assertThat(shares.get(shares.size() - 1)).isEqualTo(1.0);
  }

  @Test
  void throwingProgressConsumerStopsTheBuild() {
    RuntimeException cancelled = new RuntimeException("cancelled");
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                DepthReconstruction.build(
                    wavy(),
                    DepthFixtures.distinctColours(W, H),
                    K,
                    0.05,
                    share -> {
                      calls.incrementAndGet();
                      throw cancelled;
                    }))
        .isSameAs(cancelled);
    assertThat(calls).hasValue(1);
  }

  private static int rgbOf(Mesh mesh, int v) {
    byte[] c = mesh.colors();
    return ((c[3 * v] & 0xff) << 16) | ((c[3 * v + 1] & 0xff) << 8) | (c[3 * v + 2] & 0xff);
  }
}
