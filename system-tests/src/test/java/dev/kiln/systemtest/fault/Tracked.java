package dev.kiln.systemtest.fault;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A planned job as the client saw it: when it was sent, its id once accepted, what went wrong. */
final class Tracked {

  final PlannedJob plan;
  volatile Instant submitStart;
  volatile Duration submitLatency;
  volatile UUID id;

  /** Why the client never got it accepted, when it did not. */
  volatile String submitProblem;

  /** What happened when the client cancelled it ({@link PlannedJob.Kind#CANCEL} only). */
  volatile String cancelNote;

  /** Whether an SSE watcher follows it. */
  volatile boolean watched;

  volatile SseWatcher watcher;

  Tracked(PlannedJob plan) {
    this.plan = plan;
  }

  boolean accepted() {
    return id != null;
  }

  @Override
  public String toString() {
    return "job "
        + id
        + " ("
        + plan.kind()
        + " #"
        + plan.index()
        + " "
        + plan.body()
        + (cancelNote == null ? "" : "; cancel: " + cancelNote)
        + ")";
  }
}
