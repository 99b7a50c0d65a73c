package dev.kiln.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"synthetic.bin", "model.glb", "a", "Recipe_v2-final.json", "9.tar.gz"})
  void plainFileNamesAreAccepted(String name) {
    assertThat(ArtifactNames.isSafe(name)).isTrue();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "../escape",
        "a/b",
        "a\\b",
        ".hidden",
        "-flag",
        "x..y",
        "name with space",
        "tab\tname",
        "ümlaut",
        "semi;colon",
        "quote\"d"
      })
  void pathLikeOrUnusualNamesAreRejected(String name) {
    assertThat(ArtifactNames.isSafe(name)).isFalse();
  }

  @Test
  void namesLongerThan128CharactersAreRejected() {
    assertThat(ArtifactNames.isSafe("a".repeat(128))).isTrue();
    assertThat(ArtifactNames.isSafe("a".repeat(129))).isFalse();
  }

  @Test
  void objectKeyLivesUnderTheJobsArtifactPrefix() {
    UUID job = UUID.fromString("0b0e8f5e-4c1a-4f6e-9a51-7d1c2f3a4b5c");
    assertThat(ArtifactNames.objectKey(job, "out.bin"))
        .isEqualTo("artifacts/0b0e8f5e-4c1a-4f6e-9a51-7d1c2f3a4b5c/out.bin");
    assertThatThrownBy(() -> ArtifactNames.objectKey(job, "../../inputs/x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
