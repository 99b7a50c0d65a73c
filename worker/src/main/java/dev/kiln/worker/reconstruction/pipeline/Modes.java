package dev.kiln.worker.reconstruction.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.worker.pipeline.StageFailure;

/** The {@link ModeSteps} for a job's {@code mode}. */
final class Modes {

  private Modes() {}

  static ModeSteps of(ReconstructionParams params, JsonNode raw) throws StageFailure {
    return switch (params.mode()) {
      case "relief" -> new ReliefSteps(params);
      case "depth" -> new DepthSteps(params, raw);
      case "multiview" -> new MultiviewSteps(params, raw);
      default -> throw new IllegalStateException("unchecked mode " + params.mode());
    };
  }
}
