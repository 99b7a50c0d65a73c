package dev.kiln.worker.reconstruction.pipeline;

/** The stages of the reconstruction job type, in order; their names are the descriptor's. */
enum Step {
  FETCH_INPUTS,
  PREPROCESS,
  RECONSTRUCT,
  MESH_GENERATION,
  SIMPLIFICATION,
  TEXTURING,
  EXPORT,
  UPLOAD;

  String stageName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
