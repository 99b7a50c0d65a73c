package dev.kiln.worker.reconstruction.depth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntrinsicsTest {

  private static DepthMap map(int w, int h) {
    return new DepthMap(w, h, DepthFixtures.constant(w, h, 500), 1);
  }

  private static DepthParams explicit(Double fx, Double fy, Double cx, Double cy) {
    return new DepthParams(null, null, fx, fy, cx, cy, 60, 0.05, 1024);
  }

  @Test
  void defaultsComeFromTheHorizontalFieldOfViewWithThePrincipalPointAtTheImageCentre() {
    Intrinsics k = Intrinsics.resolve(DepthParams.defaults(1024), map(640, 480));

    double tan30 = Math.tan(Math.toRadians(30));
    assertThat(k.fx()).isCloseTo(320 / tan30, within(1e-9));
    assertThat(k.fy()).isEqualTo(k.fx());
    assertThat(k.cx()).isEqualTo(319.5);
    assertThat(k.cy()).isEqualTo(239.5);
    // why: the field of view spans pixel edges, and the left edge of pixel 0 is at x = -0.5
    assertThat((-0.5 - k.cx()) / k.fx()).isCloseTo(-tan30, within(1e-12));
    assertThat((639.5 - k.cx()) / k.fx()).isCloseTo(tan30, within(1e-12));
  }

  @Test
  void explicitIntrinsicsAreScaledToTheDownsampledGrid() {
    DepthMap grid = map(1024, 768).downsample(256);

    Intrinsics k = Intrinsics.resolve(explicit(800.0, 820.0, 500.0, 380.0), grid);

    assertThat(grid.width()).isEqualTo(256);
    assertThat(k.fx()).isCloseTo(200, within(1e-9));
    assertThat(k.fy()).isCloseTo(205, within(1e-9));
    // why: cx = 500 lies 500.5 px from the left image edge, i.e. 125.125 grid px, which is 124.625
    // with centres at integers; 500 / 4 = 125 would move the optical axis by 3/8 of a grid pixel
    assertThat(k.cx()).isCloseTo(124.625, within(1e-9));
    assertThat(k.cy()).isCloseTo(94.625, within(1e-9));
  }

  @Test
  void defaultsOnADownsampledGridMatchDefaultsComputedForThatGrid() {
    DepthMap grid = map(1000, 600).downsample(512);

    Intrinsics k = Intrinsics.resolve(DepthParams.defaults(512), grid);

    assertThat(k.fx()).isCloseTo(256 / Math.tan(Math.toRadians(30)), within(1e-9));
    assertThat(k.cx()).isCloseTo(grid.width() / 2.0 - 0.5, within(1e-9));
    assertThat(k.cy()).isCloseTo(grid.height() / 2.0 - 0.5, within(1e-9));
  }

  @Test
  void fyDefaultsToFxAndEachPrincipalCoordinateToTheCentre() {
    Intrinsics k = Intrinsics.resolve(explicit(700.0, null, 300.0, null), map(640, 480));

    assertThat(k.fy()).isEqualTo(700.0);
    assertThat(k.cx()).isEqualTo(300.0);
    assertThat(k.cy()).isEqualTo(239.5);
  }
}
