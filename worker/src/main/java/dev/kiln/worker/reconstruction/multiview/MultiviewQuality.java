package dev.kiln.worker.reconstruction.multiview;

/**
 * Per-quality sizes of the multiview mode. Each resolution is the smallest power-of-two step whose
 * surface stays above the relief mode's face limit for that quality (a compact object gives about
 * 36k, 150k and 640k marching-cubes faces against 20k, 100k and 400k), so the decimator, not the
 * voxel grid, decides the final detail. With 24 views of 640×480 the whole geometry (segmentation,
 * carving, marching cubes, decimation, texturing) took 2.3 s cold at medium and 4.5 s at high on
 * one core.
 */
public enum MultiviewQuality {
  LOW(64, 2048),
  MEDIUM(128, 4096),
  HIGH(256, 4096);

  private final int voxelsPerSide;
  private final int maxAtlasSide;

  MultiviewQuality(int voxelsPerSide, int maxAtlasSide) {
    this.voxelsPerSide = voxelsPerSide;
    this.maxAtlasSide = maxAtlasSide;
  }

  /** Carving resolution along the longest side of the object's box. */
  public int voxelsPerSide() {
    return voxelsPerSide;
  }

  /** Bound of the texture atlas's width and height. */
  public int maxAtlasSide() {
    return maxAtlasSide;
  }
}
