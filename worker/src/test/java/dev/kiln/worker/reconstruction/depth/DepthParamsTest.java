package dev.kiln.worker.reconstruction.depth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DepthParamsTest {

  private static DepthParams with(
      Double near, Double far, Double fx, Double fy, double fov, double ratio, int side) {
    return new DepthParams(near, far, fx, fy, null, null, fov, ratio, side);
  }

  @Test
  void defaultsAreSixtyDegreesAndFivePercent() {
    DepthParams p = DepthParams.defaults(512);

    assertThat(p.fovDeg()).isEqualTo(60.0);
    assertThat(p.discontinuityRatio()).isEqualTo(0.05);
    assertThat(p.maxSidePx()).isEqualTo(512);
  }

  @Test
  void invalidValuesAreRejectedNamingTheApiField() {
    assertThatThrownBy(() -> with(300.0, null, null, null, 60, 0.05, 512))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("near_mm and far_mm must be given together");
    assertThatThrownBy(() -> with(0.0, 100.0, null, null, 60, 0.05, 512))
        .hasMessage("near_mm must be a positive number of millimetres");
    assertThatThrownBy(() -> with(300.0, 300.0, null, null, 60, 0.05, 512))
        .hasMessage("far_mm must be greater than near_mm");
    assertThatThrownBy(() -> with(null, null, null, 500.0, 60, 0.05, 512))
        .hasMessage("fy needs fx; give fx alone for square pixels");
    assertThatThrownBy(() -> with(null, null, -1.0, null, 60, 0.05, 512))
        .hasMessage("fx must be a positive number of pixels");
    assertThatThrownBy(() -> new DepthParams(null, null, null, null, Double.NaN, null, 60, 0.05, 2))
        .hasMessage("cx must be a finite number of pixels");
    assertThatThrownBy(() -> with(null, null, null, null, 180, 0.05, 512))
        .hasMessage("fov_deg must be greater than 0 and less than 180");
    assertThatThrownBy(() -> with(null, null, null, null, 60, 0, 512))
        .hasMessage("discontinuity_ratio must be greater than 0 and at most 1");
    assertThatThrownBy(() -> with(null, null, null, null, 60, 0.05, 1))
        .hasMessage("the grid's long side must be at least 2 pixels");
  }
}
