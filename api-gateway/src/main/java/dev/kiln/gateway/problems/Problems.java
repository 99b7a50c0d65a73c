package dev.kiln.gateway.problems;

import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Small helpers shared by resources and mappers. */
public final class Problems {

  private Problems() {}

  public static Response response(Problem problem) {
    return builder(problem).build();
  }

  public static Response.ResponseBuilder builder(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
  }

  public static UUID parseUuid(String what, String value) {
    try {
      if (value == null || value.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidUuid(what, value);
    }
  }

  /** Keeps echoed client input short in error messages. */
  public static String truncate(String value) {
    return truncate(value, 64);
  }

  /** At most {@code max} characters of {@code value}, marked when cut. */
  public static String truncate(String value, int max) {
    if (value == null) {
      return "";
    }
    return value.length() <= max ? value : value.substring(0, max) + "…";
  }
}
