package dev.kiln.worker.reconstruction.pipeline;

import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.Stage;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code reconstruction} job type: images become a mesh ({@link ModeSteps} per mode), which is
 * simplified to a face limit, textured and exported as GLB, OBJ, PLY and STL.
 */
@Singleton
public class ReconstructionPipeline implements JobPipeline {

  public static final String TYPE = "reconstruction";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Stage> stages(JobMessage job) {
    // why: one state per run; params are checked in fetch_inputs so a bad message fails as a job
    // with INVALID_PARAMS instead of failing to plan
    ModelRun run =
        new ModelRun(
            job.params() == null
                ? dev.kiln.model.json.KilnJson.mapper().createObjectNode()
                : job.params());
    return Arrays.stream(Step.values())
        .map(step -> Stage.named(step.stageName(), ctx -> run.run(step, ctx)))
        .toList();
  }
}
