package dev.kiln.worker.reconstruction.multiview;

import java.util.BitSet;

/**
 * Occupancy of an axis-aligned grid of cubic voxels in millimetres, Z up. Voxel (i, j, k) spans
 * {@code origin + [i, i+1) * size} along x (likewise y, z); its occupancy is the sample taken at
 * its centre. The bit set is owned by the grid and must not be changed after construction.
 */
public final class VoxelGrid {

  private final double originX;
  private final double originY;
  private final double originZ;
  private final double size;
  private final int nx;
  private final int ny;
  private final int nz;
  private final BitSet bits;

  /**
   * @param origin minimum corner of voxel (0, 0, 0)
   * @param occupied bit {@code i + nx * (j + ny * k)} per voxel
   */
  public VoxelGrid(double[] origin, double voxelSizeMm, int nx, int ny, int nz, BitSet occupied) {
    if (!(voxelSizeMm > 0)
        || nx < 1
        || ny < 1
        || nz < 1
        || (long) nx * ny * nz > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("grid needs a positive voxel size and dimensions");
    }
    this.originX = origin[0];
    this.originY = origin[1];
    this.originZ = origin[2];
    this.size = voxelSizeMm;
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.bits = occupied;
  }

  /** Occupancy of a voxel; false outside the grid, so the grid reads as padded with empty space. */
  public boolean get(int i, int j, int k) {
    return i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz && bits.get(index(i, j, k));
  }

  public int occupied() {
    return bits.cardinality();
  }

  /** Total volume of the occupied voxels in cubic millimetres. */
  public double occupiedVolumeMm3() {
    return occupied() * size * size * size;
  }

  public double voxelSizeMm() {
    return size;
  }

  public int nx() {
    return nx;
  }

  public int ny() {
    return ny;
  }

  public int nz() {
    return nz;
  }

  /** X of the centres of voxel column i; defined for any i, also outside the grid. */
  public double x(int i) {
    return originX + (i + 0.5) * size;
  }

  public double y(int j) {
    return originY + (j + 0.5) * size;
  }

  public double z(int k) {
    return originZ + (k + 0.5) * size;
  }

  int index(int i, int j, int k) {
    return i + nx * (j + ny * k);
  }
}
