package dev.kiln.worker.pipeline;

/**
 * How a run ended and what to do with its message. Once the run's events are confirmed, hand it to
 * {@link PipelineRunner#complete} before settling the message: that marks the attempt done.
 */
public final class RunResult {

  private final RunOutcome outcome;
  private final Disposition disposition;
  // null when there is nothing to mark (abandoned runs)
  final AttemptFiles files;

  RunResult(RunOutcome outcome, Disposition disposition, AttemptFiles files) {
    this.outcome = outcome;
    this.disposition = disposition;
    this.files = files;
  }

  static RunResult abandoned() {
    return new RunResult(RunOutcome.ABANDONED, Disposition.REQUEUE, null);
  }

  public RunOutcome outcome() {
    return outcome;
  }

  public Disposition disposition() {
    return disposition;
  }

  @Override
  public String toString() {
    return outcome.label() + "/" + disposition;
  }
}
