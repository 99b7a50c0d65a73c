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
   */
  record CompletedStage(String stage, long durationMs, List<String> outputs) {
    CompletedStage {
      outputs = outputs == null ? List.of() : List.copyOf(outputs);
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
