package dev.kiln.worker.reconstruction.multiview;

import java.util.List;

/**
 * The visual hull of a set of silhouettes: the points of space whose projection lands on the object
 * in every view. A point that is behind a camera or projects outside its image is not in the hull.
 * That carves away everything a single view cannot see, which is right when every image shows the
 * whole object, as a turntable capture does; an object cut by an image edge loses the part outside
 * that image.
 */
public final class VisualHull {

  private final Camera[] cameras;
  private final Mask[] masks;

  /**
   * @param masks one silhouette per view, the same size as the image its camera took
   * @param cameras one camera per view, in the same order
   */
  public VisualHull(List<Mask> masks, List<Camera> cameras) {
    if (masks.size() != cameras.size() || masks.isEmpty()) {
      throw new IllegalArgumentException("need one mask per camera and at least one view");
    }
    for (int v = 0; v < masks.size(); v++) {
      Mask m = masks.get(v);
      Camera c = cameras.get(v);
      if (m.width() != c.width() || m.height() != c.height()) {
        throw new IllegalArgumentException("mask " + v + " does not match its camera's image size");
      }
    }
    this.masks = masks.toArray(Mask[]::new);
    this.cameras = cameras.toArray(Camera[]::new);
  }

  public int views() {
    return cameras.length;
  }

  public Camera camera(int view) {
    return cameras[view];
  }

  public Mask mask(int view) {
    return masks[view];
  }

  /** True when the point projects onto the silhouette in every view. */
  public boolean contains(double x, double y, double z) {
    return firstMiss(x, y, z, 0) < 0;
  }

  /**
   * The first view, trying {@code start} first and then the following ones cyclically, in which the
   * point is not on the silhouette; -1 when there is none.
   */
  int firstMiss(double x, double y, double z, int start) {
    int n = cameras.length;
    for (int k = 0; k < n; k++) {
      int v = start + k < n ? start + k : start + k - n;
      Camera c = cameras[v];
      double w = c.p(8) * x + c.p(9) * y + c.p(10) * z + c.p(11);
      if (!(w > 0)) {
        return v;
      }
      double u = (c.p(0) * x + c.p(1) * y + c.p(2) * z + c.p(3)) / w;
      double t = (c.p(4) * x + c.p(5) * y + c.p(6) * z + c.p(7)) / w;
      // why: compare before flooring, since a cast truncates -0.5 to pixel 0
      if (!(u >= 0 && t >= 0 && u < c.width() && t < c.height())
          || !masks[v].inside().get((int) t * c.width() + (int) u)) {
        return v;
      }
    }
    return -1;
  }
}
