package dev.kiln.gateway.problems;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.kiln.model.jobtypes.FieldError;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Explains why a JSON body was refused, naming the offending field whenever the parser knows it, so
 * that a client can fix its request without guessing.
 */
public final class JsonProblems {

  private JsonProblems() {}

  /**
   * @param prefix path of the document inside the request, e.g. {@code job.} for a multipart part
   */
  public static ProblemException of(JsonProcessingException e, String prefix) {
    if (e instanceof StreamConstraintsException) {
      // why: a limit of the reader (depth, string or number length), not a syntax error
      return new ProblemException(
          400, "JSON_LIMIT_EXCEEDED", "JSON limit exceeded", e.getOriginalMessage());
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return field(prefix + path(u), "UNKNOWN_FIELD", "unknown field");
    }
    if (e instanceof JsonParseException p
        && p.getOriginalMessage() != null
        && p.getOriginalMessage().startsWith("Duplicate field")) {
      String field = contextPath(p.getProcessor());
      if (!field.isEmpty()) {
        return field(prefix + field, "DUPLICATE_FIELD", "field given more than once");
      }
    }
    if (e instanceof InputCoercionException c) {
      String field = contextPath(c.getProcessor());
      if (!field.isEmpty()) {
        return field(prefix + field, "OUT_OF_RANGE", "number out of range for this field");
      }
    }
    if (e instanceof MismatchedInputException m) {
      String field = path(m);
      if (!field.isEmpty()) {
        return field(prefix + field, "TYPE_MISMATCH", "wrong type for this field");
      }
    }
    if (e instanceof JsonMappingException m
        && m.getCause() instanceof JsonProcessingException cause
        && cause != e) {
      return of(cause, prefix);
    }
    return new ProblemException(
        400,
        "MALFORMED_JSON",
        "Malformed JSON",
        "the body is not valid JSON: " + Problems.truncate(e.getOriginalMessage(), 300));
  }

  private static ProblemException field(String field, String code, String message) {
    return ProblemException.validation(
        field + ": " + message, List.of(new FieldError(field, code, message)));
  }

  static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  /** The field the parser stood on, from its nesting contexts; empty when not known. */
  static String contextPath(Object processor) {
    if (!(processor instanceof JsonParser parser)) {
      return "";
    }
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = parser.getParsingContext();
        c != null && !c.inRoot();
        c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.push("." + c.getCurrentName());
      } else if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    String joined = String.join("", parts);
    return joined.startsWith(".") ? joined.substring(1) : joined;
  }
}
