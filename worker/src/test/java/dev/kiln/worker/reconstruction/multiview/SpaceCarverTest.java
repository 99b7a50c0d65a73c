package dev.kiln.worker.reconstruction.multiview;

import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.HEIGHT;
import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.WIDTH;
import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.gridIou;
import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.meshIou;
import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.ring;
import static dev.kiln.worker.reconstruction.multiview.MultiviewFixtures.silhouettes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import dev.kiln.worker.reconstruction.multiview.TestShapes.Cube;
import dev.kiln.worker.reconstruction.multiview.TestShapes.Shape;
import dev.kiln.worker.reconstruction.multiview.TestShapes.Sphere;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpaceCarverTest {

  private static final int MEDIUM = MultiviewQuality.MEDIUM.voxelsPerSide();

  /**
   * 24 turntable views in three interleaved rings at +30°, 0° and -30° elevation, so the top and
   * the bottom are seen at a slant as well as the sides.
   */
  private static List<Camera> threeRings() {
    return ring(24, 30, 0, -30);
  }

  @Test
  void sphereSilhouettesCarveToIouAboveNinetyPercentAtMediumQuality() {
    Shape sphere = new Sphere(60, 0xc03c28);
    List<Camera> cameras = threeRings();
    VisualHull hull = new VisualHull(silhouettes(sphere, cameras), cameras);
    VoxelGrid grid = SpaceCarver.carve(hull, MEDIUM, null);

    // measured 0.987 (grid) and 0.995 (mesh on the hull)
    assertThat(gridIou(grid, sphere, 1.0)).isGreaterThan(0.97);
    Mesh mesh = MarchingCubes.extract(grid, hull::contains, null);
    assertThat(meshIou(mesh, sphere, 1.0)).isGreaterThan(0.98);
    assertThat(Math.max(grid.nx(), Math.max(grid.ny(), grid.nz()))).isEqualTo(MEDIUM);
  }

  /**
   * The visual hull of a cube is not the cube: between views every flat side grows a shallow roof
   * (about 4 mm over a 80 mm side), so the hull's IoU depends on how the views meet the sides. With
   * 24 views in three rings it is 0.93 at 20° but 0.875 to 0.88 at 0°, 30° or 45°, where views face
   * sides squarely; so the check uses 36 views (12 per ring), which reach 0.90 at every rotation
   * tried, including those worst cases. The carving itself matches its hull closely at any angle,
   * which the second assertion checks.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "cube turned {0} degrees")
  @org.junit.jupiter.params.provider.ValueSource(doubles = {0, 20, 45})
  void cubeSilhouettesFromThirtySixViewsCarveToIouAboveNinetyPercentAtMediumQuality(
      double rotationDeg) {
    Cube cube = new Cube(80, rotationDeg);
    List<Camera> cameras = ring(36, 30, 0, -30);
    VisualHull hull = new VisualHull(silhouettes(cube, cameras), cameras);
    VoxelGrid grid = SpaceCarver.carve(hull, MEDIUM, null);

    assertThat(gridIou(grid, cube, 1.0)).isGreaterThanOrEqualTo(0.9);
    assertThat(MultiviewFixtures.hullIou(grid, hull, cube, 1.0)).isGreaterThan(0.98);
  }

  @Test
  void projectionMatrixCamerasCarveTheSameGridAsTheirTurntables() {
    Shape sphere = new Sphere(50, 0x3050c0);
    List<Camera> turntables = ring(12, 25, -25);
    List<Camera> matrices = new ArrayList<>();
    for (Camera c : turntables) {
      double[] p = c.matrix();
      for (int i = 0; i < 12; i++) {
        // a matrix from a calibration tool is only defined up to scale, sign included
        p[i] *= -3.7;
      }
      matrices.add(Camera.projection(p, WIDTH, HEIGHT));
    }
    List<Mask> masks = silhouettes(sphere, turntables);
    VoxelGrid a = SpaceCarver.carve(new VisualHull(masks, turntables), 48, null);
    VoxelGrid b = SpaceCarver.carve(new VisualHull(masks, matrices), 48, null);

    assertThat(b.occupied()).isEqualTo(a.occupied()).isPositive();
    assertThat(new int[] {b.nx(), b.ny(), b.nz()}).containsExactly(a.nx(), a.ny(), a.nz());
    assertThat(b.x(0)).isCloseTo(a.x(0), within(1e-9));
    for (int k = 0; k < a.nz(); k++) {
      for (int j = 0; j < a.ny(); j++) {
        for (int i = 0; i < a.nx(); i++) {
          assertThat(b.get(i, j, k)).isEqualTo(a.get(i, j, k));
        }
      }
    }
  }

  @Test
  void thinPartsSurviveTheAutomaticBox() {
    // a 3 mm rod sticking 70 mm out of a sphere: thinner than the coarse voxels (6 mm, then 3 mm),
    // which centre sampling would let it slip between, thicker than the fine ones (1.5 mm)
    Shape rod = new TestShapes.SphereWithRod(30, 1.5, 100);
    List<Camera> cameras = ring(16, 25, -25);
    VisualHull hull = new VisualHull(silhouettes(rod, cameras), cameras);
    VoxelGrid grid = SpaceCarver.carve(hull, 96, null);
    int farthest = -1;
    for (int i = 0; i < grid.nx(); i++) {
      for (int k = 0; k < grid.nz(); k++) {
        for (int j = 0; j < grid.ny(); j++) {
          farthest = grid.get(i, j, k) ? i : farthest;
        }
      }
    }
    assertThat(grid.x(farthest)).isGreaterThan(98);
  }

  @Test
  void progressRisesToOneAndAThrowingConsumerStopsTheCarve() {
    Shape sphere = new Sphere(40, 0x208020);
    List<Camera> cameras = ring(8, 20, -20);
    VisualHull hull = new VisualHull(silhouettes(sphere, cameras), cameras);
    List<Double> seen = new ArrayList<>();
    SpaceCarver.carve(hull, 32, seen::add);
    assertThat(seen).isSorted().last().isEqualTo(1.0);
    assertThat(seen.getFirst()).isGreaterThan(0);
    assertThat(seen.size()).as("per coarse view and per slice").isGreaterThan(32);

    List<Double> beforeCancel = new ArrayList<>();
    assertThatThrownBy(
            () ->
                SpaceCarver.carve(
                    hull,
                    32,
                    p -> {
                      beforeCancel.add(p);
                      if (p > 0.5) {
                        throw new IllegalStateException("cancelled");
                      }
                    }))
        .hasMessage("cancelled");
    assertThat(beforeCancel.getLast()).isGreaterThan(0.5).isLessThan(1.0);
  }

  @Test
  void silhouettesWithoutCommonVolumeGiveAnEmptyGrid() {
    List<Camera> cameras = ring(6, 0);
    List<Mask> empty = cameras.stream().map(c -> new Mask(WIDTH, HEIGHT, new BitSet())).toList();
    VoxelGrid grid = SpaceCarver.carve(new VisualHull(empty, cameras), 32, null);
    assertThat(grid.occupied()).isZero();
  }

  @Test
  void camerasLookingTheSameWayAreRejected() {
    Camera one = Camera.turntable(0, 300, 40, 0, WIDTH, HEIGHT);
    Mask mask = new Mask(WIDTH, HEIGHT, new BitSet());
    assertThatThrownBy(
            () -> SpaceCarver.carve(new VisualHull(List.of(mask), List.of(one)), 32, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two directions");
  }
}
