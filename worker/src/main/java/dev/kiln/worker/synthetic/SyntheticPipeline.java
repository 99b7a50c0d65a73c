package dev.kiln.worker.synthetic;

import dev.kiln.model.messages.JobMessage;
import dev.kiln.worker.config.WorkerConfig;
import dev.kiln.worker.pipeline.JobPipeline;
import dev.kiln.worker.pipeline.Stage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code synthetic} job type: configurable stages, timings, artifact size, failures and (for
 * fault-injection tests only) worker crashes, for tests, demos and benchmarks.
 */
@Singleton
public class SyntheticPipeline implements JobPipeline {

  public static final String TYPE = "synthetic";

  /** The exit status of a worker halted by fault injection, as if killed by SIGKILL. */
  static final int HALT_STATUS = 137;

  private final boolean faultInjection;
  private final Runnable halt;

  @Inject
  public SyntheticPipeline(WorkerConfig config) {
    this(config.faultInjection(), () -> Runtime.getRuntime().halt(HALT_STATUS));
  }

  /** Without fault injection. */
  SyntheticPipeline() {
    this(false, () -> {});
  }

  /**
   * @param halt what {@code crashWorkerAtStage} does when fault injection is on
   */
  SyntheticPipeline(boolean faultInjection, Runnable halt) {
    this.faultInjection = faultInjection;
    this.halt = halt;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<Stage> stages(JobMessage job) {
    SyntheticParams params = SyntheticParams.from(job.params());
    List<Stage> stages = new ArrayList<>(Math.max(0, params.stages()));
    for (int i = 1; i <= params.stages(); i++) {
      stages.add(new SyntheticStage(i, i == params.stages(), params, faultInjection, halt));
    }
    return stages;
  }
}
