package dev.kiln.gateway.jobs;

import java.time.Instant;

/** Progress of one stage of a job, stored as an element of the job's {@code stages} JSON. */
public class StageState {

  public static final String PENDING = "pending";
  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String CANCELLED = "cancelled";

  public String name;
  public String status = PENDING;
  public int progress;
  public String message;
  public Instant startedAt;
  public Instant finishedAt;

  public StageState() {}

  public StageState(String name) {
    this.name = name;
  }
}
