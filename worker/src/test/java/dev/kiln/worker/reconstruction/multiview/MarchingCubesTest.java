package dev.kiln.worker.reconstruction.multiview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MarchingCubesTest {

  /** Grid of the given size and voxel size centred on the origin, filled where solid says so. */
  private static VoxelGrid grid(int n, double size, MarchingCubes.Solid solid) {
    double[] origin = {-n * size / 2, -n * size / 2, -n * size / 2};
    BitSet bits = new BitSet();
    VoxelGrid grid = new VoxelGrid(origin, size, n, n, n, bits);
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          if (solid.contains(grid.x(i), grid.y(j), grid.z(k))) {
            bits.set(grid.index(i, j, k));
          }
        }
      }
    }
    return grid;
  }

  private static final MarchingCubes.Solid BALL = (x, y, z) -> x * x + y * y + z * z <= 30 * 30;

  @Test
  void everyOccupancyOfTwoNeighbouringCellsGivesAWatertightSurface() {
    // why: a crack can only open between two face neighbours, and a block of 3x2x2 voxel centres
    // holds two cells sharing a face plus the padded cells around them; going through all 4096
    // occupancies along each axis therefore checks every pair of cases the tables can meet
    int[][] shapes = {{3, 2, 2}, {2, 3, 2}, {2, 2, 3}};
    for (int[] s : shapes) {
      for (int bits = 1; bits < 1 << 12; bits++) {
        BitSet occupied = BitSet.valueOf(new long[] {bits});
        VoxelGrid grid = new VoxelGrid(new double[3], 1, s[0], s[1], s[2], occupied);
        Mesh mesh = MarchingCubes.extract(grid, null);
        assertThat(mesh.isWatertight())
            .as("occupancy %s in %dx%dx%d", bits, s[0], s[1], s[2])
            .isTrue();
        assertThat(mesh.volume()).isPositive();
      }
    }
  }

  @Test
  void randomNoiseGridsGiveWatertightOutwardSurfaces() {
    Random random = new Random(7);
    for (int round = 0; round < 5; round++) {
      BitSet bits = new BitSet();
      for (int i = 0; i < 16 * 16 * 16; i++) {
        if (random.nextBoolean()) {
          bits.set(i);
        }
      }
      Mesh mesh = MarchingCubes.extract(new VoxelGrid(new double[3], 2, 16, 16, 16, bits), null);
      assertThat(mesh.isWatertight()).isTrue();
      assertThat(mesh.volume()).isPositive();
    }
  }

  @Test
  void ballSurfaceIsWatertightIndexedOutwardAndNearTheOccupiedVoxelVolume() {
    VoxelGrid grid = grid(40, 2, BALL);
    Mesh mesh = MarchingCubes.extract(grid, null);

    assertThat(mesh.isWatertight()).isTrue();
    assertThat(mesh.volume()).isPositive();
    assertThat(mesh.volume())
        .isCloseTo(grid.occupiedVolumeMm3(), within(0.03 * grid.occupiedVolumeMm3()));
    // a closed genus-0 triangle mesh has V = F / 2 + 2 exactly when its vertices are shared
    assertThat(mesh.vertexCount()).isEqualTo(mesh.faceCount() / 2 + 2);
  }

  @Test
  void refinedVerticesLieOnTheSolidsBoundary() {
    VoxelGrid grid = grid(40, 2, BALL);
    Mesh mesh = MarchingCubes.extract(grid, BALL, null);

    assertThat(mesh.isWatertight()).isTrue();
    float[] p = mesh.positions();
    for (int v = 0; v < mesh.vertexCount(); v++) {
      double r =
          Math.sqrt(
              p[3 * v] * p[3 * v] + p[3 * v + 1] * p[3 * v + 1] + p[3 * v + 2] * p[3 * v + 2]);
      assertThat(r).isCloseTo(30, within(2.0 / (1 << MarchingCubes.REFINE_STEPS) + 1e-4));
    }
    double ball = 4.0 / 3 * Math.PI * 30 * 30 * 30;
    assertThat(mesh.volume()).isCloseTo(ball, within(0.01 * ball));
  }

  @Test
  void objectTouchingTheGridEdgeIsStillClosed() {
    BitSet full = new BitSet();
    full.set(0, 5 * 4 * 3);
    Mesh mesh = MarchingCubes.extract(new VoxelGrid(new double[3], 1, 5, 4, 3, full), null);
    assertThat(mesh.isWatertight()).isTrue();
    assertThat(mesh.volume()).isPositive();
  }

  @Test
  void emptyGridGivesNoFaces() {
    Mesh mesh = MarchingCubes.extract(new VoxelGrid(new double[3], 1, 4, 4, 4, new BitSet()), null);
    assertThat(mesh.faceCount()).isZero();
  }

  @Test
  void progressRisesToOneAndAThrowingConsumerStopsTheExtraction() {
    VoxelGrid grid = grid(20, 3, BALL);
    List<Double> seen = new ArrayList<>();
    MarchingCubes.extract(grid, seen::add);
    assertThat(seen).isSorted().hasSize(21).last().isEqualTo(1.0);

    List<Double> calls = new ArrayList<>();
    assertThatThrownBy(
            () ->
                MarchingCubes.extract(
                    grid,
                    p -> {
                      calls.add(p);
                      throw new IllegalStateException("cancelled");
                    }))
        .hasMessage("cancelled");
    assertThat(calls).hasSize(1);
  }
}
