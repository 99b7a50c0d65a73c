package dev.kiln.worker.reconstruction.multiview;

/**
 * Per-quality sizes of the multiview mode. Carving time and the marching-cubes face count grow with
 * the cube and the square of the resolution respectively, so medium (128) is the largest step that
 * keeps 24 views of 640×480 well inside the job's time budget on one core.
 */
public enum MultiviewQuality {
  LOW(64, 2048),
  MEDIUM(128, 4096),
  HIGH(192, 4096);

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
