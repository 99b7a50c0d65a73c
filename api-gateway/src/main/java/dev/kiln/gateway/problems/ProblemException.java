package dev.kiln.gateway.problems;

import dev.kiln.model.jobtypes.FieldError;
import java.util.List;
import java.util.Map;

/** Thrown anywhere in request handling to answer with a specific problem. */
public class ProblemException extends RuntimeException {

  private final int status;
  private final String code;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, Object> extensions;

  public ProblemException(
      int status,
      String code,
      String title,
      String detail,
      List<FieldError> errors,
      Map<String, Object> extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = List.copyOf(errors);
    this.extensions = Map.copyOf(extensions);
  }

  public ProblemException(int status, String code, String title, String detail) {
    this(status, code, title, detail, List.of(), Map.of());
  }

  public static ProblemException invalidUuid(String what, String value) {
    return new ProblemException(
        400,
        "INVALID_UUID",
        "Invalid identifier",
        what + " must be a UUID, got '" + Problems.truncate(value) + "'");
  }

  public static ProblemException notFound(String code, String what, Object id) {
    return new ProblemException(
        404, code, what + " not found", "no " + what.toLowerCase() + " " + id);
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "INVALID_STATE", "Not allowed in the current state", detail);
  }

  /**
   * 500 with an id the client can quote. why: the client gets the id, the log gets the stack trace
   * under it; never the reverse.
   */
  public static ProblemException internal(String errorId) {
    return new ProblemException(
        500,
        "INTERNAL_ERROR",
        "Internal error",
        "unexpected error; quote error id " + errorId,
        List.of(),
        Map.of("errorId", errorId));
  }

  public static ProblemException validation(String detail, List<FieldError> errors) {
    return new ProblemException(
        400, "VALIDATION_FAILED", "Invalid request", detail, errors, Map.of());
  }

  public Problem toProblem(String instance) {
    return new Problem(
        Problem.typeUri(code), title, status, getMessage(), instance, code, errors, extensions);
  }

  public int status() {
    return status;
  }
}
