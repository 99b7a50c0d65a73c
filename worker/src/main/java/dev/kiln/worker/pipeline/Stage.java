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

  /**
   * A stage that is a name and its work. why: the reconstruction and extraction pipelines run as
   * steps of one shared run object; each of their stages is only a name on a step, with no state of
   * its own.
   */
  static Stage named(String name, Work work) {
    return new Named(name, work);
  }

  /** What a {@link #named} stage does. */
  @FunctionalInterface
  interface Work {
    void run(StageContext ctx) throws Exception;
  }

  /** See {@link #named}. */
  record Named(String name, Work work) implements Stage {
    @Override
    public void run(StageContext ctx) throws Exception {
      work.run(ctx);
    }
  }
}
