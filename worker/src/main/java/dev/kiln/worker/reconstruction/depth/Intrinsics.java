package dev.kiln.worker.reconstruction.depth;

/**
 * Pinhole camera intrinsics in pixels of one grid. Integer pixel coordinates sit at pixel centres
 * (the OpenCV convention): an image w pixels wide spans x from -0.5 to w - 0.5, and its centre is
 * at x = w / 2 - 0.5.
 */
public record Intrinsics(double fx, double fy, double cx, double cy) {

  public Intrinsics {
    if (!(fx > 0 && fy > 0) || !Double.isFinite(fx) || !Double.isFinite(fy)) {
      throw new IllegalArgumentException("focal lengths must be positive and finite");
    }
    if (!Double.isFinite(cx) || !Double.isFinite(cy)) {
      throw new IllegalArgumentException("principal point must be finite");
    }
  }

  /**
   * Intrinsics for the grid of {@code depth}. The client's values, and the defaults, refer to the
   * map as sent; they are scaled to the grid when it was downsampled.
   *
   * <p>Defaults: {@code fx = (width / 2) / tan(fov / 2)} with the horizontal field of view spanning
   * the full width, {@code fy = fx} (square pixels), principal point at the image centre.
   */
  public static Intrinsics resolve(DepthParams p, DepthMap depth) {
    int w = depth.sourceWidth();
    int h = depth.sourceHeight();
    double fx = p.fx() != null ? p.fx() : (w / 2.0) / Math.tan(Math.toRadians(p.fovDeg()) / 2);
    double fy = p.fy() != null ? p.fy() : fx;
    double cx = p.cx() != null ? p.cx() : w / 2.0 - 0.5;
    double cy = p.cy() != null ? p.cy() : h / 2.0 - 0.5;
    return new Intrinsics(fx, fy, cx, cy)
        .scaled((double) depth.width() / w, (double) depth.height() / h);
  }

  /**
   * The same camera on a grid scaled by sx, sy. why: with pixel centres at integers, scaling maps x
   * + 0.5 (the distance from the image's left edge) to (x + 0.5) * s, not x to x * s.
   */
  public Intrinsics scaled(double sx, double sy) {
    return new Intrinsics(fx * sx, fy * sy, (cx + 0.5) * sx - 0.5, (cy + 0.5) * sy - 0.5);
  }
}
