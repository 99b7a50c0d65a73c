package dev.kiln.worker.reconstruction.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kiln.worker.reconstruction.relief.HeightField;
import dev.kiln.worker.reconstruction.relief.ReliefBuilder;
import dev.kiln.worker.reconstruction.relief.ReliefParams;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuadricDecimatorTest {

  /** Smooth bumps plus a sharp step, so decimation has both gentle and crease regions. */
  static BufferedImage landscape(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = 0.5 + 0.25 * Math.sin(x * 0.07) * Math.cos(y * 0.05);
        if (x > w / 2 && y > h / 2) {
          v += 0.2;
        }
        int g = (int) Math.round(255 * Math.min(1, v));
        image.setRGB(x, y, (g << 16) | ((255 - g) << 8) | (x & 0xff));
      }
    }
    return image;
  }

  static Mesh relief(int w, int h) {
    return ReliefBuilder.build(
        landscape(w, h), new ReliefParams(120, 12, 3, false, 0, HeightField.Smoothing.BOX));
  }

  @Test
  void decimationNeverExceedsTheFaceLimitAndReachesNinetyPercentOfIt() {
    Mesh input = relief(300, 220);
    for (int limit : new int[] {20_000, 5_001, 777}) {
      QuadricDecimator.Result result = new QuadricDecimator(limit, null).decimate(input);
      assertThat(result.mesh().faceCount()).isLessThanOrEqualTo(limit);
      assertThat(result.mesh().faceCount()).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * limit));
      assertThat(result.facesBefore()).isEqualTo(input.faceCount());
    }
  }

  @Test
  void decimatedReliefStaysWatertightWithNearlyTheSameVolume() {
    Mesh input = relief(200, 150);
    QuadricDecimator.Result result = new QuadricDecimator(10_000, null).decimate(input);
    assertThat(result.guardsRelaxed()).isFalse();
    assertThat(result.mesh().isWatertight()).isTrue();
    assertThat(result.mesh().volume()).isCloseTo(input.volume(), within(0.01 * input.volume()));
    Mesh.Bounds before = input.bounds();
    Mesh.Bounds after = result.mesh().bounds();
    for (int axis = 0; axis < 3; axis++) {
      assertThat(after.size(axis)).isCloseTo(before.size(axis), within(0.02 * before.size(axis)));
    }
    assertThat(result.maxErrorMm()).isGreaterThan(0).isLessThan(2.0);
  }

  @Test
  void flatPlaneDecimatesWithoutGeometricErrorAndKeepsItsOutline() {
    Mesh plane = TestMeshes.plane(80, 50);
    QuadricDecimator.Result result = new QuadricDecimator(200, null).decimate(plane);
    Mesh out = result.mesh();
    assertThat(out.faceCount()).isBetween(180, 200);
    assertThat(result.maxErrorMm()).isLessThan(1e-4);
    for (int v = 0; v < out.vertexCount(); v++) {
      assertThat(out.positions()[3 * v + 2]).isCloseTo(0f, within(1e-5f));
    }
    assertThat(out.surfaceArea()).isCloseTo(2500, within(0.01));
    assertThat(out.bounds().min()).containsExactly(new float[] {0, 0, 0}, within(1e-4f));
    assertThat(out.bounds().max()).containsExactly(new float[] {50, 50, 0}, within(1e-4f));
  }

  @Test
  void coarserLimitsReportLargerGeometricError() {
    Mesh input = relief(120, 90);
    double fine = new QuadricDecimator(10_000, null).decimate(input).maxErrorMm();
    double coarse = new QuadricDecimator(400, null).decimate(input).maxErrorMm();
    assertThat(coarse).isGreaterThan(fine);
  }

  @Test
  void progressRisesMonotonicallyFromZeroToOne() {
    List<Double> reports = new ArrayList<>();
    new QuadricDecimator(2_000, reports::add).decimate(relief(120, 90));
    assertThat(reports).hasSizeGreaterThan(10);
    assertThat(reports).isSorted();
    assertThat(reports.get(0)).isGreaterThanOrEqualTo(0);
    assertThat(reports.get(reports.size() - 1)).isEqualTo(1.0);
  }

  @Test
  void faceLimitIsHonouredEvenWhenTopologyGuardsMustGiveWay() {
    QuadricDecimator.Result result =
        new QuadricDecimator(3, null).decimate(TestMeshes.box(1, 1, 1));
    assertThat(result.mesh().faceCount()).isLessThanOrEqualTo(3);
    assertThat(result.guardsRelaxed()).isTrue();
  }

  @Test
  void meshWithinTheLimitIsReturnedUnchanged() {
    Mesh box = TestMeshes.box(1, 2, 3);
    QuadricDecimator.Result result = new QuadricDecimator(12, null).decimate(box);
    assertThat(result.mesh()).isSameAs(box);
    assertThat(result.maxErrorMm()).isZero();
  }

  @Test
  void attributesSurviveDecimationWithinTheirRange() {
    Mesh out = new QuadricDecimator(1_000, null).decimate(relief(60, 40)).mesh();
    assertThat(out.uvs()).hasSize(2 * out.vertexCount());
    assertThat(out.colors()).hasSize(3 * out.vertexCount());
    for (float t : out.uvs()) {
      assertThat(t).isBetween(0f, 1f);
    }
  }
}
