package dev.kiln.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineDescriptionTest {

  private static final String CPUINFO =
      "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\n"
          + "processor\t: 1\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n";

  @Test
  void readsTheCpuModelAndCountsLogicalCpus() {
    assertThat(MachineDescription.cpuModel(CPUINFO)).isEqualTo("AMD EPYC 7B13");
    assertThat(MachineDescription.cpuCount(CPUINFO)).isEqualTo(2);
  }

  @Test
  void memoryIsShownInGibibytes() {
    assertThat(MachineDescription.memory("MemTotal:       24641268 kB\nMemFree: 1 kB\n"))
        .isEqualTo("23.5 GiB");
  }

  @Test
  void theOsIsItsPrettyName() {
    assertThat(
            MachineDescription.osName(
                "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"))
        .isEqualTo("Debian GNU/Linux 12 (bookworm)");
  }
}
