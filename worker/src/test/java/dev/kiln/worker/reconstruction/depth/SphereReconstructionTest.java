package dev.kiln.worker.reconstruction.depth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.reconstruction.mesh.Mesh;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/**
 * A sphere of radius 200 mm whose centre is 600 mm in front of the camera, slightly off axis. why
 * these sizes: 16-bit maps store whole millimetres, so rounding moves a point up to 0.5 mm along
 * its ray, at most ~0.6 mm off the surface with the ray's obliquity; that is 0.3% of 200 mm, well
 * inside the 1% budget. At 100 mm the rounding alone would use up more than half of it.
 */
class SphereReconstructionTest {

  private static final double RADIUS = 200;
  private static final double[] CENTRE_CAMERA = {40, -30, 600};
  private static final int W = 320;
  private static final int H = 288;

  @Test
  void sphereDepthMapGivesVerticesWithinOnePercentOfTheRadius() throws Exception {
    Intrinsics k = new Intrinsics(280, 285, 163.7, 141.2);
    float[] truth = DepthFixtures.sphere(W, H, k, CENTRE_CAMERA, RADIUS);
    DepthParams params = new DepthParams(null, null, 280.0, 285.0, 163.7, 141.2, 60, 0.05, 1024);

    DepthMap map = DepthMap.decode(DepthFixtures.png16(W, H, truth), null, null);
    DepthReconstruction.Result result = build(map, params);

    assertOnSphere(result.mesh());
    assertOnSphere(result.pointCloud());
    assertThat(result.validPixels()).isEqualTo(validCount(truth));
    assertThat(result.mesh().vertexCount()).isGreaterThan(result.validPixels() * 95 / 100);
  }

  @Test
  void eightBitSphereWithNearAndFarGivesVerticesWithinOnePercentOfTheRadius() throws Exception {
    // why: computed here from the documented defaults rather than by Intrinsics.resolve
    double f = (W / 2.0) / Math.tan(Math.toRadians(60) / 2);
    Intrinsics k = new Intrinsics(f, f, W / 2.0 - 0.5, H / 2.0 - 0.5);
    float[] truth = DepthFixtures.sphere(W, H, k, CENTRE_CAMERA, RADIUS);
    // why: the visible depths run from ~404 to ~533 mm, so a 380..560 range gives 0.71 mm steps
    double near = 380;
    double far = 560;
    int[] levels = new int[W * H];
    for (int i = 0; i < levels.length; i++) {
      float z = truth[i];
      levels[i] = z != z ? 0 : 1 + (int) Math.round((z - near) / (far - near) * 254);
    }
    DepthParams params = new DepthParams(near, far, null, null, null, null, 60, 0.05, 1024);

    DepthMap map = DepthMap.decode(DepthFixtures.png8(W, H, levels), near, far);
    DepthReconstruction.Result result = build(map, params);

    assertOnSphere(result.mesh());
    assertThat(result.mesh().vertexCount()).isGreaterThan(result.validPixels() * 95 / 100);
  }

  @Test
  void downsampledSphereStaysWithinOnePercentOfTheRadius() throws Exception {
    Intrinsics k = new Intrinsics(560, 560, 327.4, 282.4);
    float[] truth = DepthFixtures.sphere(2 * W, 2 * H, k, CENTRE_CAMERA, RADIUS);
    DepthParams params = new DepthParams(null, null, 560.0, null, 327.4, 282.4, 60, 0.05, W);

    DepthMap map = DepthMap.decode(DepthFixtures.png16(2 * W, 2 * H, truth), null, null);
    DepthReconstruction.Result result = build(map.downsample(params.maxSidePx()), params);

    assertThat(result.validPixels()).isLessThan(validCount(truth) / 3);
    assertOnSphere(result.mesh());
  }

  @Test
  void sphereFacesPointOutOfTheSphereAndTowardsTheCamera() throws Exception {
    Intrinsics k = new Intrinsics(280, 280, 159.5, 143.5);
    float[] truth = DepthFixtures.sphere(W, H, k, CENTRE_CAMERA, RADIUS);
    DepthParams params = new DepthParams(null, null, 280.0, null, 159.5, 143.5, 60, 0.05, 1024);

    Mesh mesh = build(DepthMap.decode(DepthFixtures.png16(W, H, truth), null, null), params).mesh();

    double[] c = DepthFixtures.toModel(CENTRE_CAMERA);
    float[] p = mesh.positions();
    double[] n = new double[3];
    for (int f = 0; f < mesh.faceCount(); f++) {
      mesh.faceNormal(f, n);
      int a = 3 * mesh.triangles()[3 * f];
      double outward = n[0] * (p[a] - c[0]) + n[1] * (p[a + 1] - c[1]) + n[2] * (p[a + 2] - c[2]);
      double towardsCamera = -(n[0] * p[a] + n[1] * p[a + 1] + n[2] * p[a + 2]);
      assertThat(outward).as("face %d points out of the sphere", f).isPositive();
      assertThat(towardsCamera).as("face %d points towards the camera", f).isPositive();
    }
  }

  private static DepthReconstruction.Result build(DepthMap map, DepthParams params) {
    BufferedImage colour = DepthFixtures.distinctColours(map.width(), map.height());
    return DepthReconstruction.build(
        map, colour, Intrinsics.resolve(params, map), params.discontinuityRatio(), null);
  }

  private static void assertOnSphere(Mesh mesh) {
    double[] c = DepthFixtures.toModel(CENTRE_CAMERA);
    float[] p = mesh.positions();
    double worst = 0;
    for (int v = 0; v < p.length; v += 3) {
      double dx = p[v] - c[0];
      double dy = p[v + 1] - c[1];
      double dz = p[v + 2] - c[2];
      worst = Math.max(worst, Math.abs(Math.sqrt(dx * dx + dy * dy + dz * dz) - RADIUS));
    }
    assertThat(mesh.vertexCount()).isGreaterThan(1000);
    assertThat(worst).as("largest distance from the sphere in mm").isLessThan(0.01 * RADIUS);
  }

  private static int validCount(float[] depth) {
    int n = 0;
    for (float z : depth) {
      n += z == z ? 1 : 0;
    }
    return n;
  }
}
