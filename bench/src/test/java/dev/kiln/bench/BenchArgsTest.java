package dev.kiln.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchArgsTest {

  @Test
  void readsValuesFlagsAndListsWhereverTheyStand() {
    BenchArgs args =
        new BenchArgs(new String[] {"--no-write", "--only", "submit, e2e", "--duration", "5"});
    assertThat(args.flag("--no-write")).isTrue();
    assertThat(args.list("--only")).containsExactly("submit", "e2e");
    assertThat(args.duration()).isEqualTo(5);
    assertThat(args.integer("--concurrency", 64)).isEqualTo(64);
  }

  @Test
  void aValueEqualToAnOptionNameIsNotTakenForTheOption() {
    BenchArgs args = new BenchArgs(new String[] {"--docs", "--duration", "--idle-jobs", "3"});
    assertThat(args.text("--docs", null)).isEqualTo("--duration");
    assertThat(args.duration()).isEqualTo(60);
    assertThat(args.integer("--idle-jobs", 200)).isEqualTo(3);
  }

  @Test
  void theLastValueOfARepeatedOptionWins() {
    assertThat(new BenchArgs(new String[] {"--duration", "5", "--duration", "7"}).duration())
        .isEqualTo(7);
  }

  @Test
  void anOptionWithoutItsValueIsRefused() {
    assertThatThrownBy(() -> new BenchArgs(new String[] {"--duration"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BenchArgs(new String[] {"reconstruction"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRecordedCommandLeavesOutWhereThePlatformIs() {
    assertThat(
            BenchSuite.command(
                new String[] {
                  "--gateway",
                  "http://127.0.0.1:8080",
                  "--state-dir",
                  "/x/.kiln",
                  "--docs",
                  "/x/docs/benchmarks.md",
                  "--duration",
                  "60",
                  "--no-write"
                }))
        .isEqualTo("./kiln bench --duration 60 --no-write");
  }
}
