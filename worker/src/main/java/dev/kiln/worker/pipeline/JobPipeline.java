package dev.kiln.worker.pipeline;

import dev.kiln.model.messages.JobMessage;
import java.util.List;

/**
 * One job type's implementation. Implementations are CDI beans; the worker consumes the queue of
 * every pipeline it finds (or those named by {@code kiln.worker.types}).
 */
public interface JobPipeline {

  /** The job type, which must be described in {@code JobTypeCatalog.fromClasspath()}. */
  String type();

  /**
   * The stages to run for this job, in order. Called once per run, before {@code job.started}; an
   * empty list makes a job that succeeds at once.
   */
  List<Stage> stages(JobMessage job);
}
