package dev.kiln.worker.reconstruction.multiview;

/** Analytic solids the tests photograph: an inside test and a ray cast for rendering. */
public final class TestShapes {

  /** Cube side colours in the cube's own frame: +X, -X, +Y, -Y, +Z, -Z. */
  public static final int[] SIDE_COLOURS = {
    0xd03020, 0x20a040, 0x2040c0, 0xe0c020, 0x9020b0, 0x20b0b0
  };

  private TestShapes() {}

  /** A solid that can be ray cast. */
  public interface Shape {
    boolean contains(double x, double y, double z);

    /** Colour where the ray from o along d first enters the shape, or -1 when it misses. */
    int colourAlong(double[] o, double[] d);

    /** Half the side of an axis-aligned cube around the origin that holds the shape. */
    double reach();
  }

  public record Sphere(double radius, int rgb) implements Shape {
    @Override
    public boolean contains(double x, double y, double z) {
      return x * x + y * y + z * z <= radius * radius;
    }

    @Override
    public int colourAlong(double[] o, double[] d) {
      double b = dot(o, d);
      double c = dot(o, o) - radius * radius;
      double disc = b * b - dot(d, d) * c;
      return disc >= 0 && -b - Math.sqrt(disc) > 0 ? rgb : -1;
    }

    @Override
    public double reach() {
      return radius;
    }
  }

  /** A sphere at the origin with a thin rod along +X from its centre to x = rodEnd. */
  public record SphereWithRod(double radius, double rodRadius, double rodEnd) implements Shape {
    @Override
    public boolean contains(double x, double y, double z) {
      return x * x + y * y + z * z <= radius * radius
          || (x >= 0 && x <= rodEnd && y * y + z * z <= rodRadius * rodRadius);
    }

    @Override
    public int colourAlong(double[] o, double[] d) {
      if (new Sphere(radius, 0).colourAlong(o, d) >= 0) {
        return 0x606060;
      }
      // the rod is the intersection of the slab 0 <= x <= rodEnd and an infinite cylinder
      double t0 = -o[0] / d[0];
      double t1 = (rodEnd - o[0]) / d[0];
      double enter = Math.min(t0, t1);
      double exit = Math.max(t0, t1);
      double a = d[1] * d[1] + d[2] * d[2];
      double b = o[1] * d[1] + o[2] * d[2];
      double c = o[1] * o[1] + o[2] * o[2] - rodRadius * rodRadius;
      double disc = b * b - a * c;
      if (disc < 0) {
        return -1;
      }
      enter = Math.max(enter, (-b - Math.sqrt(disc)) / a);
      exit = Math.min(exit, (-b + Math.sqrt(disc)) / a);
      return enter <= exit && enter > 0 ? 0x606060 : -1;
    }

    @Override
    public double reach() {
      return rodEnd;
    }
  }

  /** Cube centred at the origin, turned by angleDeg about Z, sides coloured by SIDE_COLOURS. */
  public record Cube(double side, double angleDeg) implements Shape {
    @Override
    public boolean contains(double x, double y, double z) {
      double[] p = toCube(new double[] {x, y, z});
      double h = side / 2;
      return Math.abs(p[0]) <= h && Math.abs(p[1]) <= h && Math.abs(p[2]) <= h;
    }

    @Override
    public int colourAlong(double[] o, double[] d) {
      double[] lo = toCube(o);
      double[] ld = toCube(d);
      double h = side / 2;
      double near = -Double.MAX_VALUE;
      double far = Double.MAX_VALUE;
      int face = -1;
      for (int a = 0; a < 3; a++) {
        double t0 = (-h - lo[a]) / ld[a];
        double t1 = (h - lo[a]) / ld[a];
        double enter = Math.min(t0, t1);
        if (enter > near) {
          near = enter;
          face = 2 * a + (ld[a] < 0 ? 0 : 1);
        }
        far = Math.min(far, Math.max(t0, t1));
      }
      return near <= far && near > 0 ? SIDE_COLOURS[face] : -1;
    }

    @Override
    public double reach() {
      return side * Math.sqrt(2) / 2;
    }

    /**
     * Side index of a point within {@code tolerance} of a side and at least {@code margin} from its
     * edges, or -1.
     */
    int sideAt(double[] point, double tolerance, double margin) {
      double[] p = toCube(point);
      double h = side / 2;
      for (int a = 0; a < 3; a++) {
        boolean onPlane = Math.abs(Math.abs(p[a]) - h) <= tolerance;
        boolean interior =
            Math.abs(p[(a + 1) % 3]) <= h - margin && Math.abs(p[(a + 2) % 3]) <= h - margin;
        if (onPlane && interior) {
          return 2 * a + (p[a] > 0 ? 0 : 1);
        }
      }
      return -1;
    }

    /** Side index (into SIDE_COLOURS) that an outward model-space normal points out of. */
    int sideFacing(double[] normal) {
      double[] n = toCube(normal);
      int axis = 0;
      for (int a = 1; a < 3; a++) {
        if (Math.abs(n[a]) > Math.abs(n[axis])) {
          axis = a;
        }
      }
      return 2 * axis + (n[axis] > 0 ? 0 : 1);
    }

    private double[] toCube(double[] p) {
      double a = Math.toRadians(-angleDeg);
      return new double[] {
        Math.cos(a) * p[0] - Math.sin(a) * p[1], Math.sin(a) * p[0] + Math.cos(a) * p[1], p[2]
      };
    }
  }

  static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
