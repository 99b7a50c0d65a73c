package dev.kiln.worker.reconstruction.depth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DepthMapDownsampleTest {

  @Test
  void longSideBecomesTheMaximumAndTheAspectIsKept() {
    DepthMap map = new DepthMap(1000, 600, DepthFixtures.constant(1000, 600, 500), 1);

    DepthMap grid = map.downsample(512);

    assertThat(grid.width()).isEqualTo(512);
    assertThat(grid.height()).isEqualTo(307);
    assertThat(grid.sourceWidth()).isEqualTo(1000);
    assertThat(grid.sourceHeight()).isEqualTo(600);
    assertThat(grid.stepMm()).isEqualTo(1.0);
  }

  @Test
  void mapThatAlreadyFitsIsReturnedAsItIs() {
    DepthMap map = new DepthMap(300, 200, DepthFixtures.constant(300, 200, 500), 1);

    assertThat(map.downsample(300)).isSameAs(map);
  }

  @Test
  void depthsAcrossAnEdgeAreMeasuredSamplesNeverAverages() {
    int w = 997;
    int h = 503;
    float[] mm = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // why: a slanted edge cuts the cells of a non-integer scale at every possible offset
        mm[y * w + x] = x < 400 + y / 3 ? 500 : 800;
      }
    }

    DepthMap grid = new DepthMap(w, h, mm, 1).downsample(256);

    Set<Float> values = new HashSet<>();
    for (int y = 0; y < grid.height(); y++) {
      for (int x = 0; x < grid.width(); x++) {
        values.add(grid.at(x, y));
      }
    }
    assertThat(values).containsExactlyInAnyOrder(500f, 800f);
  }

  @Test
  void aSingleOutlierInACellDisappears() {
    float[] mm = DepthFixtures.constant(8, 8, 500);
    mm[3 * 8 + 2] = 9000;

    DepthMap grid = new DepthMap(8, 8, mm, 1).downsample(2);

    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 2; x++) {
        assertThat(grid.at(x, y)).isEqualTo(500f);
      }
    }
  }

  @Test
  void anEvenSplitGoesToTheNearerSurface() {
    float[] mm = {800, 500, 500, 800};

    DepthMap grid = new DepthMap(2, 2, mm, 1).downsample(1);

    assertThat(grid.at(0, 0)).isEqualTo(500f);
  }

  @Test
  void aCellIsMissingOnlyWhenNoneOfItsSamplesHasADepth() {
    float[] mm = new float[8 * 4];
    mm[1 * 8 + 1] = 700;

    DepthMap grid = new DepthMap(8, 4, mm, 1).downsample(4);

    assertThat(grid.width()).isEqualTo(4);
    assertThat(grid.height()).isEqualTo(2);
    assertThat(grid.at(0, 0)).isEqualTo(700f);
    assertThat(grid.validCount()).isEqualTo(1);
    assertThat(grid.at(1, 0)).isNaN();
    assertThat(grid.at(0, 1)).isNaN();
  }

  @Test
  void eachSourcePixelLandsInTheCellUnderItsCentre() {
    // why: 5 px to 2 cells puts the boundary at 2.5, so pixel 2 (centre 2.5) starts cell 1
    float[] mm = {100, 100, 300, 300, 300, 100, 100, 300, 300, 300};

    DepthMap grid = new DepthMap(5, 2, mm, 1).downsample(2);

    assertThat(grid.width()).isEqualTo(2);
    assertThat(grid.height()).isEqualTo(1);
    assertThat(grid.at(0, 0)).isEqualTo(100f);
    assertThat(grid.at(1, 0)).isEqualTo(300f);
  }
}
