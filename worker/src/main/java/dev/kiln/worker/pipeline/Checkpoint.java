package dev.kiln.worker.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code work/{jobId}/{attempt}/checkpoint.json}: the stages of an attempt that completed, in
 * order, with the outputs they kept. A later run of the same attempt skips them.
 *
 * @param v format version, {@link #VERSION}
 * @param completed completed stages, in pipeline order
 */
record Checkpoint(int v, UUID jobId, int attempt, List<CompletedStage> completed) {

  static final int VERSION = 1;

  /**
   * @param stage stage name
   * @param durationMs how long it ran
   * @param outputs names of the outputs it wrote with {@code writeStageOutput}
   * @param artifacts the artifacts it wrote. why: a run whose events were never published (the
   *     broker was away) leaves them only here; a run resuming after the stage announces them again
   */
  record CompletedStage(
      String stage, long durationMs, List<String> outputs, List<ArtifactRef> artifacts) {
    CompletedStage {
      outputs = outputs == null ? List.of() : List.copyOf(outputs);
      artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    CompletedStage(String stage, long durationMs, List<String> outputs) {
      this(stage, durationMs, outputs, List.of());
    }
  }

  Checkpoint {
    completed = completed == null ? List.of() : List.copyOf(completed);
  }

  static Checkpoint empty(UUID jobId, int attempt) {
    return new Checkpoint(VERSION, jobId, attempt, List.of());
  }

  Checkpoint plus(CompletedStage stage) {
    List<CompletedStage> all = new ArrayList<>(completed);
    all.add(stage);
    return new Checkpoint(VERSION, jobId, attempt, all);
  }

  /** Artifacts of the completed stages, in the order they were written. */
  List<ArtifactRef> artifacts() {
    return completed.stream().flatMap(c -> c.artifacts().stream()).toList();
  }

  /** The last completed stage, or null. */
  String lastStage() {
    return completed.isEmpty() ? null : completed.getLast().stage();
  }

  long totalMillis() {
    return completed.stream().mapToLong(CompletedStage::durationMs).sum();
  }

  /** Whether the completed stages are the first stages of {@code planned}, in order. */
  boolean fits(List<String> planned) {
    if (completed.size() > planned.size()) {
      return false;
    }
    for (int i = 0; i < completed.size(); i++) {
      if (!completed.get(i).stage().equals(planned.get(i))) {
        return false;
      }
    }
    return true;
  }
}
