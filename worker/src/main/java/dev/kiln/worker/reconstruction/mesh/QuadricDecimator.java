package dev.kiln.worker.reconstruction.mesh;

import java.util.function.DoubleConsumer;

/**
 * Garland–Heckbert quadric-error edge collapse down to a face limit.
 *
 * <p>Collapses run cheapest first. A collapse is refused when it would make the surface
 * non-manifold (link condition), pinch a boundary, or turn a face over. If every remaining edge is
 * refused while the mesh is still above the limit, the guards are relaxed in steps, the last step
 * dropping them altogether, because the face limit is a hard promise and watertightness is only
 * reported. On a closed mesh each collapse removes two faces, so the result lands on the limit or
 * one below it.
 */
public final class QuadricDecimator {

  /**
   * @param maxErrorMm upper bound on the distance of any kept vertex from the planes of the input
   *     faces it absorbed (square root of the largest unweighted quadric error collapsed)
   * @param guardsRelaxed true when topology guards had to be dropped to reach the limit; the result
   *     may then no longer be watertight even if the input was
   */
  public record Result(
      Mesh mesh, int facesBefore, int verticesBefore, double maxErrorMm, boolean guardsRelaxed) {}

  /** Weight of the planes that hold boundary edges in place, relative to surface planes. */
  private static final double BOUNDARY_WEIGHT = 1000;

  /** Weight of squared edge length in the queue order; far below any real geometric error. */
  private static final double TIE_BREAK = 1e-9;

  /** Minimum cosine between a face's normal before and after a collapse, per guard level. */
  private static final double[] FLIP_COSINE = {0.2, 0.0};

  /** Points along an edge tried when its quadric has no unique minimum. */
  private static final double[] EDGE_POINTS = {0, 1, 0.5};

  private final int limit;
  private final DoubleConsumer progress;

  /**
   * @param faceLimit hard upper bound on the result's face count
   * @param progress receives the share of the needed collapses done, 0..1, non-decreasing
   */
  public QuadricDecimator(int faceLimit, DoubleConsumer progress) {
    if (faceLimit < 1) {
      throw new IllegalArgumentException("face limit must be at least 1");
    }
    this.limit = faceLimit;
    this.progress = progress == null ? p -> {} : progress;
  }

  public Result decimate(Mesh input) {
    int facesBefore = input.faceCount();
    if (facesBefore <= limit) {
      progress.accept(1.0);
      return new Result(input, facesBefore, input.vertexCount(), 0, false);
    }
    Run run = new Run(input);
    run.collapseToLimit();
    progress.accept(1.0);
    return new Result(
        run.toMesh(), facesBefore, input.vertexCount(), Math.sqrt(run.maxError), run.level >= 2);
  }

  /** Mutable state of one decimation; split from the settings so the decimator is reusable. */
  private final class Run {
    private final int n;
    private final double[] pos;
    private final double[] uv;
    private final double[] rgb;
    private final int[] tri;
    private final FaceAdjacency adj;
    private final double[] geometric;
    private final double[] cost;
    private final int[] stamp;
    private final boolean[] removed;
    private final boolean hasBoundary;
    private final EdgeHeap heap;
    private final int facesBefore;
    private int faces;
    private int level;
    private double maxError;
    private int reportedPercent;

    private final double[] sum = new double[Quadrics.SIZE];
    private final double[] scratchQuadric = new double[Quadrics.SIZE];
    private final double[] best = new double[3];
    private final double[] tmp = new double[3];
    private final double[] normalBefore = new double[3];
    private final double[] normalAfter = new double[3];
    // why: a collapse touches each neighbour through two or more faces; pushing its edge once per
    // collapse instead of once per face keeps the heap and the solves down by about half
    private final int[] pushedAt;
    private int collapses;

    Run(Mesh mesh) {
      n = mesh.vertexCount();
      pos = Compaction.toDouble(mesh.positions());
      uv = mesh.uvs() == null ? null : Compaction.toDouble(mesh.uvs());
      rgb = mesh.colors() == null ? null : Compaction.unsigned(mesh.colors());
      tri = mesh.triangles().clone();
      facesBefore = mesh.faceCount();
      faces = facesBefore;
      geometric = new double[Quadrics.SIZE * n];
      stamp = new int[n];
      pushedAt = new int[n];
      removed = new boolean[n];
      adj = new FaceAdjacency(n, tri);
      double[] normal = new double[3];
      for (int f = 0; f < facesBefore; f++) {
        mesh.faceNormal(f, normal);
        double len = Math.sqrt(dot(normal, normal));
        for (int k = 0; k < 3; k++) {
          int v = tri[3 * f + k];
          if (len > 0) {
            double nx = normal[0] / len, ny = normal[1] / len, nz = normal[2] / len;
            double d = -(nx * pos[3 * v] + ny * pos[3 * v + 1] + nz * pos[3 * v + 2]);
            Quadrics.addPlane(geometric, v, nx, ny, nz, d, 1);
          }
        }
      }
      cost = geometric.clone();
      hasBoundary = addBoundaryPlanes();
      heap = new EdgeHeap(3 * facesBefore);
    }

    /** Adds a plane through each boundary edge, perpendicular to its face, to both endpoints. */
    private boolean addBoundaryPlanes() {
      boolean any = false;
      double[] normal = new double[3];
      for (int f = 0; f < facesBefore; f++) {
        for (int k = 0; k < 3; k++) {
          int a = tri[3 * f + k];
          int b = tri[3 * f + (k + 1) % 3];
          if (adj.sharedFaces(a, b) != 1) {
            continue;
          }
          any = true;
          faceNormal(f, -1, null, normal);
          double ex = pos[3 * b] - pos[3 * a];
          double ey = pos[3 * b + 1] - pos[3 * a + 1];
          double ez = pos[3 * b + 2] - pos[3 * a + 2];
          double px = ey * normal[2] - ez * normal[1];
          double py = ez * normal[0] - ex * normal[2];
          double pz = ex * normal[1] - ey * normal[0];
          double len = Math.sqrt(px * px + py * py + pz * pz);
          if (len == 0) {
            continue;
          }
          px /= len;
          py /= len;
          pz /= len;
          double d = -(px * pos[3 * a] + py * pos[3 * a + 1] + pz * pos[3 * a + 2]);
          Quadrics.addPlane(cost, a, px, py, pz, d, BOUNDARY_WEIGHT);
          Quadrics.addPlane(cost, b, px, py, pz, d, BOUNDARY_WEIGHT);
        }
      }
      return any;
    }

    void collapseToLimit() {
      int facesAtSeed = -1;
      while (faces > limit) {
        if (heap.isEmpty()) {
          if (faces == facesAtSeed) {
            level++;
          }
          facesAtSeed = faces;
          seed();
          continue;
        }
        int a = heap.topA();
        int b = heap.topB();
        boolean current =
            !removed[a]
                && !removed[b]
                && stamp[a] == heap.topStampA()
                && stamp[b] == heap.topStampB();
        heap.pop();
        if (!current) {
          continue;
        }
        // why: the guards test the position this collapse would really use, so place it first
        place(a, b);
        if (allowed(a, b)) {
          collapse(a, b);
          report();
        }
      }
    }

    private void seed() {
      heap.clear();
      for (int f = 0; f < facesBefore; f++) {
        if (!adj.alive(f)) {
          continue;
        }
        for (int k = 0; k < 3; k++) {
          int a = tri[3 * f + k];
          int b = tri[3 * f + (k + 1) % 3];
          // why: an inner edge lies in two faces, once in each direction; push it from one of
          // them, and a boundary edge (one face only) from its face
          if (a < b || adj.sharedFaces(a, b) == 1) {
            push(a, b);
          }
        }
      }
    }

    private void push(int a, int b) {
      place(a, b);
      double c = Quadrics.error(sum, best[0], best[1], best[2]);
      // why: on flat or straight regions every cost is zero; preferring short edges there keeps
      // triangles even instead of piling collapses into one vertex (slow and sliver-prone)
      double dx = pos[3 * a] - pos[3 * b];
      double dy = pos[3 * a + 1] - pos[3 * b + 1];
      double dz = pos[3 * a + 2] - pos[3 * b + 2];
      heap.push(c + TIE_BREAK * (dx * dx + dy * dy + dz * dz), a, b, stamp[a], stamp[b]);
    }

    /** Chooses the collapse position of edge (a, b) into {@link #best}, with {@link #sum} = Q. */
    private void place(int a, int b) {
      Quadrics.sum(cost, a, b, sum);
      if (Quadrics.optimum(sum, best)) {
        return;
      }
      double bestError = Double.MAX_VALUE;
      for (double t : EDGE_POINTS) {
        for (int k = 0; k < 3; k++) {
          tmp[k] = pos[3 * a + k] + t * (pos[3 * b + k] - pos[3 * a + k]);
        }
        double e = Quadrics.error(sum, tmp[0], tmp[1], tmp[2]);
        if (e < bestError) {
          bestError = e;
          System.arraycopy(tmp, 0, best, 0, 3);
        }
      }
    }

    private boolean allowed(int a, int b) {
      if (level >= 2) {
        return true;
      }
      int shared = adj.sharedFaces(a, b);
      if (shared == 0 || shared > 2 || adj.commonNeighbours(a, b) != shared) {
        return false;
      }
      if (shared == 2 && wouldDropBelowThreeFaces(a, b)) {
        return false;
      }
      if (hasBoundary && shared == 2 && adj.isBoundaryVertex(a) && adj.isBoundaryVertex(b)) {
        return false;
      }
      return keepsOrientation(a, b, a) && keepsOrientation(a, b, b);
    }

    /**
     * The link condition alone lets a tetrahedron collapse into a flat double-sided triangle; a
     * closed surface needs every vertex to keep at least three faces.
     */
    private boolean wouldDropBelowThreeFaces(int a, int b) {
      if (adj.degree(a) + adj.degree(b) - 4 < 3) {
        return true;
      }
      for (int i = 0; i < adj.degree(a); i++) {
        int f = adj.face(a, i);
        if (adj.contains(f, b)) {
          for (int k = 0; k < 3; k++) {
            int c = tri[3 * f + k];
            if (c != a && c != b && adj.degree(c) <= 3) {
              return true;
            }
          }
        }
      }
      return false;
    }

    /** False when moving {@code moved} to {@link #best} turns one of its faces over. */
    private boolean keepsOrientation(int a, int b, int moved) {
      double[] before = normalBefore;
      double[] after = normalAfter;
      for (int i = 0; i < adj.degree(moved); i++) {
        int f = adj.face(moved, i);
        if (!adj.alive(f) || (adj.contains(f, a) && adj.contains(f, b))) {
          continue;
        }
        faceNormal(f, -1, null, before);
        faceNormal(f, moved, best, after);
        double lb = Math.sqrt(dot(before, before));
        double la = Math.sqrt(dot(after, after));
        if (la == 0 || dot(before, after) < FLIP_COSINE[level] * lb * la) {
          return false;
        }
      }
      return true;
    }

    private void collapse(int a, int b) {
      maxError = Math.max(maxError, errorOf(geometric, a, b, best[0], best[1], best[2]));
      double t = projection(a, b, best);
      blend(uv, 2, a, b, t);
      blend(rgb, 3, a, b, t);
      System.arraycopy(best, 0, pos, 3 * a, 3);
      Quadrics.addInto(cost, a, b);
      Quadrics.addInto(geometric, a, b);
      for (int i = 0; i < adj.degree(b); i++) {
        int f = adj.face(b, i);
        if (!adj.alive(f)) {
          continue;
        }
        if (adj.contains(f, a)) {
          adj.kill(f);
          faces--;
        } else {
          for (int k = 0; k < 3; k++) {
            if (tri[3 * f + k] == b) {
              tri[3 * f + k] = a;
            }
          }
          adj.addFace(a, f);
        }
      }
      removed[b] = true;
      adj.clear(b);
      stamp[a]++;
      adj.compact(a);
      collapses++;
      pushedAt[a] = collapses;
      for (int i = 0; i < adj.degree(a); i++) {
        int f = adj.face(a, i);
        for (int k = 0; k < 3; k++) {
          int v = tri[3 * f + k];
          if (pushedAt[v] != collapses) {
            pushedAt[v] = collapses;
            adj.compact(v);
            push(a, v);
          }
        }
      }
    }

    private double errorOf(double[] q, int a, int b, double x, double y, double z) {
      Quadrics.sum(q, a, b, scratchQuadric);
      return Quadrics.error(scratchQuadric, x, y, z);
    }

    private void report() {
      int percent = (int) (100L * (facesBefore - faces) / (facesBefore - limit));
      if (percent > reportedPercent && percent < 100) {
        reportedPercent = percent;
        progress.accept(percent / 100.0);
      }
    }

    /** Normal of face f, optionally with vertex {@code moved} placed at {@code at}. */
    private void faceNormal(int f, int moved, double[] at, double[] out) {
      int v0 = tri[3 * f], v1 = tri[3 * f + 1], v2 = tri[3 * f + 2];
      double x0 = coord(v0, 0, moved, at), y0 = coord(v0, 1, moved, at);
      double z0 = coord(v0, 2, moved, at);
      double ux = coord(v1, 0, moved, at) - x0;
      double uy = coord(v1, 1, moved, at) - y0;
      double uz = coord(v1, 2, moved, at) - z0;
      double vx = coord(v2, 0, moved, at) - x0;
      double vy = coord(v2, 1, moved, at) - y0;
      double vz = coord(v2, 2, moved, at) - z0;
      out[0] = uy * vz - uz * vy;
      out[1] = uz * vx - ux * vz;
      out[2] = ux * vy - uy * vx;
    }

    private double coord(int v, int axis, int moved, double[] at) {
      return v == moved ? at[axis] : pos[3 * v + axis];
    }

    private double projection(int a, int b, double[] p) {
      double ex = pos[3 * b] - pos[3 * a];
      double ey = pos[3 * b + 1] - pos[3 * a + 1];
      double ez = pos[3 * b + 2] - pos[3 * a + 2];
      double len2 = ex * ex + ey * ey + ez * ez;
      if (len2 == 0) {
        return 0;
      }
      double t =
          ((p[0] - pos[3 * a]) * ex + (p[1] - pos[3 * a + 1]) * ey + (p[2] - pos[3 * a + 2]) * ez)
              / len2;
      return Math.min(1, Math.max(0, t));
    }

    private void blend(double[] attr, int width, int a, int b, double t) {
      if (attr == null) {
        return;
      }
      for (int k = 0; k < width; k++) {
        attr[width * a + k] += t * (attr[width * b + k] - attr[width * a + k]);
      }
    }

    Mesh toMesh() {
      return Compaction.liveMesh(pos, uv, rgb, removed, tri, faces);
    }
  }

  private static double dot(double[] u, double[] v) {
    return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  }
}
