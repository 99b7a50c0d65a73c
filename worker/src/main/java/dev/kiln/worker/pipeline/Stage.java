package dev.kiln.worker.pipeline;

/** One named step of a pipeline. */
public interface Stage {

  /** Stable name, shown to clients and used as a metrics label: keep it a small fixed set. */
  String name();

  /**
   * Does the work. Must call {@link StageContext#progress} or {@link StageContext#checkCancelled}
   * at least every ~250 ms so cancellation stops the job within 2 s.
   *
   * @throws StageFailure for an expected failure with a stable code
   * @throws Exception anything else is reported as a retryable {@code INTERNAL_ERROR}
   */
  void run(StageContext ctx) throws Exception;
}
