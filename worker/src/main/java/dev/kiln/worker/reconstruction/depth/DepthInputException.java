package dev.kiln.worker.reconstruction.depth;

/**
 * The depth map cannot be used as sent. The message is written for the API client (what is wrong
 * and what to send instead); {@link #problem()} lets the caller pick an error code without parsing
 * it.
 */
public final class DepthInputException extends Exception {

  /** What is wrong with the depth input. */
  public enum Problem {
    /** Not a readable PNG. */
    NOT_A_PNG,
    /** Colour, palette, alpha or a bit depth other than 8 or 16. */
    NOT_GREYSCALE,
    /** Fewer than 2x2 pixels, or more pixels than the decoder accepts. */
    BAD_SIZE,
    /** An 8-bit map without near_mm and far_mm. */
    MISSING_RANGE,
    /** Every sample is 0, i.e. "no depth". */
    NO_VALID_DEPTH
  }

  private final Problem problem;

  public DepthInputException(Problem problem, String message) {
    this(problem, message, null);
  }

  public DepthInputException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
