package dev.kiln.model.jobtypes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Checks job parameters against a {@link JobTypeDescriptor} and fills in defaults. */
public final class ParamValidator {

  private ParamValidator() {}

  /**
   * @param normalized the parameters with every default filled in, meaningful only when {@code
   *     errors} is empty
   * @param errors every problem found, not just the first
   */
  public record Result(ObjectNode normalized, List<FieldError> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  public static Result validate(JobTypeDescriptor descriptor, JsonNode params) {
    List<FieldError> errors = new ArrayList<>();
    ObjectNode normalized = JsonNodeFactory.instance.objectNode();
    if (params != null && !params.isNull() && !params.isObject()) {
      errors.add(new FieldError("params", "TYPE_MISMATCH", "params must be a JSON object"));
      return new Result(normalized, errors);
    }
    if (params != null && params.isObject()) {
      Iterator<String> names = params.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!descriptor.params().containsKey(name)) {
          errors.add(
              new FieldError(
                  "params." + name,
                  "UNKNOWN_FIELD",
                  "unknown parameter; known: " + String.join(", ", descriptor.params().keySet())));
        }
      }
    }
    for (Map.Entry<String, ParamSpec> entry : descriptor.params().entrySet()) {
      String field = "params." + entry.getKey();
      ParamSpec spec = entry.getValue();
      JsonNode value = params == null ? null : params.get(entry.getKey());
      if (value == null || value.isNull()) {
        if (spec.required()) {
          errors.add(new FieldError(field, "REQUIRED", "required parameter is missing"));
        } else if (spec.defaultValue() != null && !spec.defaultValue().isNull()) {
          normalized.set(entry.getKey(), spec.defaultValue().deepCopy());
        }
        continue;
      }
      int before = errors.size();
      check(field, spec, value, errors);
      if (errors.size() == before) {
        normalized.set(entry.getKey(), value.deepCopy());
      }
    }
    return new Result(normalized, errors);
  }

  private static void check(String field, ParamSpec spec, JsonNode value, List<FieldError> errors) {
    switch (spec.type()) {
      case "integer" -> {
        if (!value.isIntegralNumber() && !(value.isNumber() && isWhole(value.doubleValue()))) {
          errors.add(new FieldError(field, "TYPE_MISMATCH", "must be an integer"));
        } else {
          checkRange(field, spec, value.doubleValue(), errors);
        }
      }
      case "number" -> {
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
          errors.add(new FieldError(field, "TYPE_MISMATCH", "must be a number"));
        } else {
          checkRange(field, spec, value.doubleValue(), errors);
        }
      }
      case "boolean" -> {
        if (!value.isBoolean()) {
          errors.add(new FieldError(field, "TYPE_MISMATCH", "must be true or false"));
        }
      }
      case "string" -> checkString(field, spec, value, errors);
      case "array" -> {
        if (!value.isArray()) {
          errors.add(new FieldError(field, "TYPE_MISMATCH", "must be an array"));
          return;
        }
        if (spec.maxItems() != null && value.size() > spec.maxItems()) {
          errors.add(
              new FieldError(field, "TOO_MANY_ITEMS", "at most " + spec.maxItems() + " items"));
          return;
        }
        for (int i = 0; i < value.size(); i++) {
          check(field + "[" + i + "]", spec.items(), value.get(i), errors);
        }
      }
      default -> throw new IllegalStateException("descriptor uses unknown type " + spec.type());
    }
  }

  private static void checkString(
      String field, ParamSpec spec, JsonNode value, List<FieldError> errors) {
    if (!value.isTextual()) {
      errors.add(new FieldError(field, "TYPE_MISMATCH", "must be a string"));
      return;
    }
    String text = value.textValue();
    if (text.length() > spec.effectiveMaxLength()) {
      errors.add(
          new FieldError(
              field, "TOO_LONG", "at most " + spec.effectiveMaxLength() + " characters"));
    } else if (spec.enumValues() != null && !spec.enumValues().contains(text)) {
      errors.add(
          new FieldError(
              field, "NOT_IN_ENUM", "must be one of: " + String.join(", ", spec.enumValues())));
    }
  }

  private static void checkRange(String field, ParamSpec spec, double v, List<FieldError> errors) {
    if ((spec.minimum() != null && v < spec.minimum())
        || (spec.maximum() != null && v > spec.maximum())) {
      errors.add(
          new FieldError(
              field,
              "OUT_OF_RANGE",
              "must be between " + bound(spec.minimum()) + " and " + bound(spec.maximum())));
    }
  }

  private static String bound(Double b) {
    if (b == null) {
      return "unbounded";
    }
    return isWhole(b) ? Long.toString(b.longValue()) : b.toString();
  }

  private static boolean isWhole(double v) {
    return Double.isFinite(v) && v == Math.rint(v);
  }
}
