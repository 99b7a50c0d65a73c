package dev.kiln.bench.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCpuTest {

  @TempDir Path proc;

  private void process(int pid, String cmdline, String comm, long utime, long stime)
      throws Exception {
    Path dir = Files.createDirectories(proc.resolve(String.valueOf(pid)));
    Files.write(
        dir.resolve("cmdline"), cmdline.replace(' ', '\0').getBytes(StandardCharsets.UTF_8));
    // fields after the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt
    // cmajflt utime stime ...
    Files.writeString(
        dir.resolve("stat"),
        pid + " (" + comm + ") S 1 1 1 0 -1 0 0 0 0 0 " + utime + " " + stime + " 0 0 20 0");
  }

  @Test
  void sumsUserAndSystemTimeOfEachPartsProcesses() throws Exception {
    process(10, "java -jar /w/worker/target/quarkus-app/quarkus-run.jar", "java", 150, 50);
    process(11, "java -jar /w/worker/target/quarkus-app/quarkus-run.jar", "java", 100, 0);
    process(12, "postgres: 15/main: kiln", "post gres (x)", 30, 20);
    process(13, "/usr/bin/sleep 100", "sleep", 999, 999);

    Map<String, Double> seconds = new ProcessCpu(proc, 100).snapshot();

    assertThat(seconds).containsOnlyKeys("workers", "postgres");
    assertThat(seconds.get("workers")).isEqualTo(3.0);
    assertThat(seconds.get("postgres")).isEqualTo(0.5);
  }

  @Test
  void usageBetweenSnapshotsLeavesOutPartsThatCameOrWent() {
    Map<String, Double> used =
        ProcessCpu.between(
            Map.of("gateway", 10.0, "workers", 5.0, "s3proxy", 2.0),
            Map.of("gateway", 14.5, "workers", 4.0, "bench", 1.0));

    assertThat(used).containsExactly(Map.entry("gateway", 4.5));
  }

  @Test
  void theGatewayIsNotMistakenForAWorker() {
    assertThat(ProcessCpu.partOf("java -jar /r/api-gateway/target/quarkus-app/quarkus-run.jar"))
        .isEqualTo("gateway");
    assertThat(ProcessCpu.partOf("java -jar /r/worker/target/quarkus-app/quarkus-run.jar"))
        .isEqualTo("workers");
    assertThat(ProcessCpu.partOf("")).isNull();
  }
}
