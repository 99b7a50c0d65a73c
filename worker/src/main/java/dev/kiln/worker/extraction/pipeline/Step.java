package dev.kiln.worker.extraction.pipeline;

/** The stages of the extraction job type, in order; their names are the descriptor's. */
enum Step {
  FETCH,
  EXTRACTION,
  PARSING,
  UPLOAD;

  String stageName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
