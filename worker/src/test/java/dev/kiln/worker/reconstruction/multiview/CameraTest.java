package dev.kiln.worker.reconstruction.multiview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CameraTest {

  private static double[] project(Camera camera, double x, double y, double z) {
    double[] out = new double[3];
    assertThat(camera.project(x, y, z, out)).isTrue();
    return out;
  }

  @Test
  void angleZeroIsAFrontViewFromMinusYWithPlusXRightAndPlusZUp() {
    Camera camera = Camera.turntable(0, 300, 40, 0, 640, 480);
    assertThat(camera.centre()).containsExactly(new double[] {0, -300, 0}, within(1e-9));
    double[] origin = project(camera, 0, 0, 0);
    assertThat(origin[0]).isCloseTo(320, within(1e-9));
    assertThat(origin[1]).isCloseTo(240, within(1e-9));
    assertThat(origin[2]).as("depth in mm").isCloseTo(300, within(1e-9));
    assertThat(project(camera, 10, 0, 0)[0]).isGreaterThan(320);
    assertThat(project(camera, 0, 0, 10)[1]).as("v grows downwards").isLessThan(240);
  }

  @Test
  void positiveAnglesTurnTheCameraCounterClockwiseSeenFromAbove() {
    assertThat(Camera.turntable(90, 300, 40, 0, 640, 480).centre())
        .containsExactly(new double[] {300, 0, 0}, within(1e-9));
    assertThat(Camera.turntable(180, 300, 40, 0, 640, 480).centre())
        .containsExactly(new double[] {0, 300, 0}, within(1e-9));
  }

  @Test
  void elevationRaisesTheCameraWhichKeepsLookingAtTheOrigin() {
    Camera camera = Camera.turntable(0, 300, 40, 30, 640, 480);
    assertThat(camera.centre())
        .containsExactly(new double[] {0, -300 * Math.cos(Math.PI / 6), 150}, within(1e-9));
    double[] origin = project(camera, 0, 0, 0);
    assertThat(origin[0]).isCloseTo(320, within(1e-9));
    assertThat(origin[1]).isCloseTo(240, within(1e-9));
    assertThat(project(camera, 0, 0, 10)[1]).isLessThan(240);
  }

  @Test
  void horizontalFieldOfViewSpansTheImageWidthWithPixelCentresOnHalves() {
    Camera camera = Camera.turntable(0, 300, 40, 0, 640, 480);
    double edge = 300 * Math.tan(Math.toRadians(20));
    assertThat(project(camera, edge, 0, 0)[0]).isCloseTo(640, within(1e-9));
    assertThat(project(camera, -edge, 0, 0)[0]).isCloseTo(0, within(1e-9));
    // the image centre (320, 240) is the shared corner of the four middle pixels
    assertThat((int) project(camera, 1e-6, 0, -1e-6)[0]).isEqualTo(320);
    assertThat((int) project(camera, -1e-6, 0, -1e-6)[0]).isEqualTo(319);
  }

  @Test
  void matrixScaleAndSignDoNotChangeTheCamera() {
    Camera turntable = Camera.turntable(37, 280, 45, -15, 800, 600);
    double[] p = turntable.matrix();
    for (int i = 0; i < 12; i++) {
      p[i] *= -2.5;
    }
    Camera flipped = Camera.projection(p, 800, 600);
    assertThat(flipped.matrix()).containsExactly(turntable.matrix(), within(1e-9));
    assertThat(flipped.centre()).containsExactly(turntable.centre(), within(1e-9));
    assertThat(project(flipped, 12, -7, 20))
        .containsExactly(project(turntable, 12, -7, 20), within(1e-9));
  }

  @Test
  void pointsBehindTheCameraDoNotProject() {
    Camera camera = Camera.turntable(0, 300, 40, 0, 640, 480);
    assertThat(camera.project(0, -400, 0, new double[3])).isFalse();
    assertThat(camera.project(0, -300, 0, new double[3])).as("the centre itself").isFalse();
  }

  @Test
  void degenerateInputIsRejected() {
    assertThatThrownBy(() -> Camera.projection(new double[11], 10, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Camera.projection(new double[12], 10, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Camera.turntable(0, 300, 40, 90, 640, 480))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Camera.turntable(0, -1, 40, 0, 640, 480))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
