package dev.kiln.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolsTest {

  @Test
  void aMissingToolFailsTheCheckWithWhatToInstall() {
    assertThatThrownBy(() -> Tools.require("kiln-no-such-tool", "Install the package kiln-x"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("kiln-no-such-tool is not on PATH")
        .hasMessageContaining("Install the package kiln-x");
  }
}
