package dev.kiln.worker.reconstruction.multiview;

import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.HEIGHT;
import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.WIDTH;
import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.ring;
import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.views;
import static dev.kiln.worker.reconstruction.multiview.TestShapes.SIDE_COLOURS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.mesh.QuadricDecimator;
import dev.kiln.worker.reconstruction.multiview.TestShapes.Cube;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewTexturerTest {

  private static final Cube CUBE = new Cube(80, 20);

  /** Atlas colour at the centroid of a face's uvs. */
  private static int colourAtUvCentroid(ViewTexturer.Textured t, int face) {
    Mesh mesh = t.mesh();
    double u = 0;
    double v = 0;
    for (int k = 0; k < 3; k++) {
      int vertex = mesh.triangles()[3 * face + k];
      u += mesh.uvs()[2 * vertex] / 3;
      v += mesh.uvs()[2 * vertex + 1] / 3;
    }
    return t.atlas().getRGB((int) (u * t.atlas().getWidth()), (int) (v * t.atlas().getHeight()))
        & 0xffffff;
  }

  private static boolean near(int a, int b, int tolerance) {
    for (int shift = 0; shift < 24; shift += 8) {
      if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > tolerance) {
        return false;
      }
    }
    return true;
  }

  private static double[] unitNormal(Mesh mesh, int face) {
    double[] n = new double[3];
    mesh.faceNormal(face, n);
    double len = Math.sqrt(TestShapes.dot(n, n));
    return new double[] {n[0] / len, n[1] / len, n[2] / len};
  }

  @Test
  void eachFaceOfASixColourCubeSamplesItsSideColourFromItsMostFrontalView() {
    List<Camera> cameras = ring(24, 30, 0, -30);
    Mesh cube = MultiviewFixtures.cubeMesh(CUBE);

    int[] chosen = ViewSelection.choose(cube, cameras, p -> {});
    for (int f = 0; f < cube.faceCount(); f++) {
      double[] n = unitNormal(cube, f);
      int frontal = -1;
      double best = -2;
      for (int v = 0; v < cameras.size(); v++) {
        double[] c = cameras.get(v).centre();
        double[] g = new double[3];
        for (int k = 0; k < 3; k++) {
          for (int a = 0; a < 3; a++) {
            g[a] += cube.positions()[3 * cube.triangles()[3 * f + k] + a] / 3.0;
          }
        }
        double[] d = {c[0] - g[0], c[1] - g[1], c[2] - g[2]};
        double score = TestShapes.dot(n, d) / Math.sqrt(TestShapes.dot(d, d));
        if (score > best) {
          best = score;
          frontal = v;
        }
      }
      assertThat(chosen[f]).as("face %d", f).isEqualTo(frontal);
    }

    ViewTexturer.Textured t = ViewTexturer.texture(cube, cameras, views(CUBE, cameras), 2048, null);
    assertThat(t.mesh().faceCount()).isEqualTo(12);
    for (int f = 0; f < 12; f++) {
      int expected = SIDE_COLOURS[CUBE.sideFacing(unitNormal(cube, f))];
      assertThat(Integer.toHexString(colourAtUvCentroid(t, f)))
          .as("face %d", f)
          .isEqualTo(Integer.toHexString(expected));
    }
  }

  @Test
  void facesOfACarvedAndSimplifiedCubeSampleTheirSideColour() {
    List<Camera> cameras = ring(24, 30, 0, -30);
    VisualHull hull = new VisualHull(MultiviewFixtures.silhouettes(CUBE, cameras), cameras);
    VoxelGrid grid = SpaceCarver.carve(hull, MultiviewQuality.LOW.voxelsPerSide(), null);
    Mesh carved = MarchingCubes.extract(grid, hull::contains, null);
    Mesh mesh = new QuadricDecimator(5_000, null).decimate(carved).mesh();

    ViewTexturer.Textured t = ViewTexturer.texture(mesh, cameras, views(CUBE, cameras), 2048, null);

    // faces on the true cube surface, away from its edges; the hull's roofs over the sides are
    // not part of the object and show whatever the chosen view saw through them
    int onSurface = 0;
    int right = 0;
    for (int f = 0; f < mesh.faceCount(); f++) {
      double[] g = new double[3];
      for (int k = 0; k < 3; k++) {
        for (int a = 0; a < 3; a++) {
          g[a] += mesh.positions()[3 * mesh.triangles()[3 * f + k] + a] / 3.0;
        }
      }
      int side = CUBE.sideAt(g, 1.0, 4.0);
      if (side >= 0) {
        onSurface++;
        right += near(colourAtUvCentroid(t, f), SIDE_COLOURS[side], 40) ? 1 : 0;
      }
    }
    assertThat(onSurface).isGreaterThan(mesh.faceCount() / 4);
    assertThat((double) right / onSurface).isGreaterThan(0.99);
  }

  @Test
  void hiddenFacesTakeAViewThatReallySeesThem() {
    // the front box hides the back box's -Y side from the camera facing it squarely
    Mesh front = MultiviewFixtures.boxMesh(40, 0, 0, -60, 0);
    Mesh back = MultiviewFixtures.boxMesh(40, 0, 0, 20, 0);
    float[] pos = new float[48];
    System.arraycopy(front.positions(), 0, pos, 0, 24);
    System.arraycopy(back.positions(), 0, pos, 24, 24);
    int[] both = new int[72];
    for (int i = 0; i < 36; i++) {
      both[i] = front.triangles()[i];
      both[36 + i] = back.triangles()[i] + 8;
    }
    Mesh scene = new Mesh(pos, null, null, both);
    List<Camera> cameras =
        List.of(
            Camera.turntable(0, 300, 40, 0, WIDTH, HEIGHT),
            Camera.turntable(60, 300, 40, 0, WIDTH, HEIGHT));

    int[] chosen = ViewSelection.choose(scene, cameras, p -> {});

    for (int f = 0; f < scene.faceCount(); f++) {
      double[] n = unitNormal(scene, f);
      if (n[1] < -0.99) {
        assertThat(chosen[f]).as("face %d", f).isEqualTo(f < 12 ? 0 : 1);
      }
    }
  }

  @Test
  void viewsAreDecodedOnceAndOnlyWhenSomeFaceUsesThem() {
    List<Camera> cameras = new ArrayList<>(ring(8, 20, -20));
    // an exact duplicate never wins a tie, so nothing is ever taken from it
    cameras.add(cameras.getFirst());
    List<Integer> decoded = new ArrayList<>();
    ViewTexturer.Textured t =
        ViewTexturer.texture(
            MultiviewFixtures.cubeMesh(CUBE),
            cameras,
            i -> {
              decoded.add(i);
              return MultiviewFixtures.render(CUBE, cameras.get(i));
            },
            1024,
            null);
    assertThat(decoded).doesNotHaveDuplicates().doesNotContain(8).hasSize(t.viewsUsed());
  }

  @Test
  void atlasStaysWithinItsLimitAndUvsWithinTheUnitSquare() {
    List<Camera> cameras = ring(24, 30, 0, -30);
    ViewTexturer.Textured t =
        ViewTexturer.texture(
            MultiviewFixtures.cubeMesh(CUBE), cameras, views(CUBE, cameras), 100, null);
    assertThat(t.atlas().getWidth()).isLessThanOrEqualTo(100);
    assertThat(t.atlas().getHeight()).isLessThanOrEqualTo(100);
    assertThat(t.atlas().getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    for (float uv : t.mesh().uvs()) {
      assertThat(uv).isBetween(0f, 1f);
    }
  }

  @Test
  void facesNoCameraSeesStillGetAView() {
    // every camera looks down from above, so no view sees the bottom
    List<Camera> cameras = ring(6, 40);
    Mesh cube = MultiviewFixtures.cubeMesh(CUBE);
    List<Double> seen = new ArrayList<>();
    ViewTexturer.Textured t =
        ViewTexturer.texture(cube, cameras, views(CUBE, cameras), 512, seen::add);
    assertThat(t.mesh().faceCount()).isEqualTo(12);
    for (float uv : t.mesh().uvs()) {
      assertThat(uv).isBetween(0f, 1f);
    }
    assertThat(seen).isSorted().last().isEqualTo(1.0);
  }
}
