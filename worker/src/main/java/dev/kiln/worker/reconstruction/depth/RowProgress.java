package dev.kiln.worker.reconstruction.depth;

import java.util.function.DoubleConsumer;

/**
 * Reports the share of rows done, at most once per 1/64 of the work. The consumer is the cancel
 * point: whatever it throws propagates to the caller of the build.
 */
final class RowProgress {

  /** why: 64 reports are smooth enough for a progress bar and cost nothing next to a row. */
  private static final double STEP = 1.0 / 64;

  private final DoubleConsumer sink;
  private final double totalRows;
  private int rows;
  private double reported;

  RowProgress(DoubleConsumer sink, int totalRows) {
    this.sink = sink == null ? share -> {} : sink;
    this.totalRows = Math.max(1, totalRows);
  }

  void rowDone() {
    rows++;
    double share = Math.min(1.0, rows / totalRows);
    if (share - reported >= STEP) {
      reported = share;
      sink.accept(share);
    }
  }

  void finish() {
    if (reported < 1.0) {
      reported = 1.0;
      sink.accept(1.0);
    }
  }
}
