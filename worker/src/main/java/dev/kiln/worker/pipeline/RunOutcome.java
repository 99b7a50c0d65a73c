package dev.kiln.worker.pipeline;

import java.util.Locale;

/** How a run ended; each matches exactly one terminal event. */
public enum RunOutcome {
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** Lowercase name, used as a metrics label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
