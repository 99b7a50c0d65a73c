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
        } else if (!fitsLong(value)) {
          // why: workers read integers as long; a bigger one would be cut or refused there
          errors.add(new FieldError(field, "OUT_OF_RANGE", "must fit in 64 bits"));
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
        if (value.size() > spec.effectiveMaxItems()) {
          errors.add(
              new FieldError(
                  field, "TOO_MANY_ITEMS", "at most " + spec.effectiveMaxItems() + " items"));
          return;
        }
        if (spec.minItems() != null && value.size() < spec.minItems()) {
          errors.add(
              new FieldError(field, "TOO_FEW_ITEMS", "at least " + spec.minItems() + " items"));
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
    } else if (!isCleanText(text)) {
      errors.add(
          new FieldError(
              field,
              "INVALID_CHARACTERS",
              "control characters (other than tab and line breaks) and unpaired surrogates are"
                  + " not allowed"));
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

  /**
   * Whether {@code text} is well-formed Unicode text: no NUL or other C0/C1 control characters
   * except tab, line feed and carriage return, no DEL, and no unpaired UTF-16 surrogates (which
   * cannot be encoded as UTF-8, so cannot be stored or sent on faithfully).
   */
  public static boolean isCleanText(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return false;
      }
      if (Character.isLowSurrogate(c)) {
        return false;
      }
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f)) {
        return false;
      }
    }
    return true;
  }

  private static boolean fitsLong(JsonNode value) {
    if (value.isIntegralNumber()) {
      return value.canConvertToLong();
    }
    double v = value.doubleValue();
    return v >= Long.MIN_VALUE && v < 0x1p63;
  }

  private static boolean isWhole(double v) {
    return Double.isFinite(v) && v == Math.rint(v);
  }
}
