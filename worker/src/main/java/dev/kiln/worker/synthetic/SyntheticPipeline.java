package dev.kiln.worker.synthetic;

import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.Stage;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code synthetic} job type: configurable stages, timings, artifact size and failures, for
 * tests, demos and benchmarks.
 */
@Singleton
public class SyntheticPipeline implements JobPipeline {

  public static final String TYPE = "synthetic";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Stage> stages(JobMessage job) {
    SyntheticParams params = SyntheticParams.from(job.params());
    List<Stage> stages = new ArrayList<>(Math.max(0, params.stages()));
    for (int i = 1; i <= params.stages(); i++) {
      stages.add(new SyntheticStage(i, i == params.stages(), params));
    }
    return stages;
  }
}
