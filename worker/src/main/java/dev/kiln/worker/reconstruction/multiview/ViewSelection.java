package dev.kiln.worker.reconstruction.multiview;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Picks, for every face, the view that sees it most frontally: the largest cosine between the face
 * normal and the direction to the camera, among the views where the face is visible. Visible means
 * facing the camera, its centroid projecting into the image, and that centroid not hidden by
 * another part of the mesh, tested against a depth buffer of the mesh rendered from the view. A
 * face no view sees still gets the view it faces most, so every face is textured.
 */
final class ViewSelection {

  /** Longest side of the depth buffers; occlusion needs far less detail than the texture. */
  static final int DEPTH_SIDE = 1024;

  /** Depth slack, as a share of the mesh's diagonal, that still counts as "the visible surface". */
  static final double DEPTH_TOLERANCE = 0.01;

  private ViewSelection() {}

  /**
   * @param progress receives 0..1 once per view
   * @return the chosen view per face
   */
  static int[] choose(Mesh mesh, List<Camera> cameras, DoubleConsumer progress) {
    int faces = mesh.faceCount();
    float[] pos = mesh.positions();
    int[] tri = mesh.triangles();
    double[] normal = new double[3 * faces];
    double[] centroid = new double[3 * faces];
    double[] n = new double[3];
    for (int f = 0; f < faces; f++) {
      mesh.faceNormal(f, n);
      double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
      for (int a = 0; a < 3; a++) {
        normal[3 * f + a] = len > 0 ? n[a] / len : 0;
        centroid[3 * f + a] =
            (pos[3 * tri[3 * f] + a] + pos[3 * tri[3 * f + 1] + a] + pos[3 * tri[3 * f + 2] + a])
                / 3.0;
      }
    }
    double tolerance = DEPTH_TOLERANCE * mesh.bounds().diagonal();
    int[] best = new int[faces];
    int[] fallback = new int[faces];
    double[] bestScore = new double[faces];
    double[] fallbackScore = new double[faces];
    Arrays.fill(best, -1);
    Arrays.fill(bestScore, -Double.MAX_VALUE);
    Arrays.fill(fallbackScore, -Double.MAX_VALUE);
    double[] score = new double[faces];
    double[] uvw = new double[3];
    for (int v = 0; v < cameras.size(); v++) {
      Camera cam = cameras.get(v);
      double[] c = cam.centre();
      for (int f = 0; f < faces; f++) {
        double dx = c[0] - centroid[3 * f];
        double dy = c[1] - centroid[3 * f + 1];
        double dz = c[2] - centroid[3 * f + 2];
        double dist = Math.sqrt(dx * dx + dy * dy + dz * dz);
        score[f] = (normal[3 * f] * dx + normal[3 * f + 1] * dy + normal[3 * f + 2] * dz) / dist;
        if (score[f] > fallbackScore[f]) {
          fallbackScore[f] = score[f];
          fallback[f] = v;
        }
      }
      DepthBuffer depth = DepthBuffer.render(mesh, cam, score, DEPTH_SIDE);
      for (int f = 0; f < faces; f++) {
        if (score[f] <= bestScore[f] || score[f] <= 0) {
          continue;
        }
        boolean seen =
            cam.project(centroid[3 * f], centroid[3 * f + 1], centroid[3 * f + 2], uvw)
                && depth.visible(uvw[0], uvw[1], uvw[2], tolerance);
        if (seen) {
          bestScore[f] = score[f];
          best[f] = v;
        }
      }
      progress.accept((v + 1.0) / cameras.size());
    }
    for (int f = 0; f < faces; f++) {
      if (best[f] < 0) {
        best[f] = fallback[f];
      }
    }
    return best;
  }
}
