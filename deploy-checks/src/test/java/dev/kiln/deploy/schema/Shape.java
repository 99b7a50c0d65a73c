package dev.kiln.deploy.schema;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.deploy.KubeModel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A minimal structural schema for custom resources, in the spirit of a CRD's openAPIV3Schema:
 * required fields, types, allowed values, and closed objects (an unknown field is an error, as it
 * is for a CRD with a structural schema, where the API server prunes or rejects it). Where a CRD
 * field embeds a Kubernetes type (resources, affinity, a pod spec), {@link #typed} checks it
 * against the fabric8 model instead.
 */
@FunctionalInterface
public interface Shape {

  /** Adds one message per problem, each starting with the field's path. */
  void check(JsonNode node, String path, List<String> problems);

  /** A field of an object shape. */
  record Field(String name, boolean required, Shape shape) {}

  static Field req(String name, Shape shape) {
    return new Field(name, true, shape);
  }

  static Field opt(String name, Shape shape) {
    return new Field(name, false, shape);
  }

  /** Optional fields accepted as they are (known to the CRD, not used by Kiln). */
  static Field[] known(String... names) {
    return Arrays.stream(names).map(n -> opt(n, any())).toArray(Field[]::new);
  }

  static Shape any() {
    return (node, path, problems) -> {};
  }

  /** A closed object: only the listed fields, the required ones present. */
  static Shape obj(Field... fields) {
    return obj(List.of(fields));
  }

  static Shape obj(List<Field> fields) {
    Map<String, Field> byName = new LinkedHashMap<>();
    fields.forEach(f -> byName.put(f.name(), f));
    return (node, path, problems) -> {
      if (!node.isObject()) {
        problems.add(path + ": must be an object, is " + node.getNodeType());
        return;
      }
      for (Field f : byName.values()) {
        if (f.required() && (!node.has(f.name()) || node.get(f.name()).isNull())) {
          problems.add(path + "." + f.name() + ": required");
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Field f = byName.get(e.getKey());
        if (f == null) {
          problems.add(
              path + "." + e.getKey() + ": unknown field (known: " + byName.keySet() + ")");
        } else {
          f.shape().check(e.getValue(), path + "." + e.getKey(), problems);
        }
      }
    };
  }

  /** An object with free keys (labels, annotations, parameters), each value of one shape. */
  static Shape map(Shape values) {
    return (node, path, problems) -> {
      if (!node.isObject()) {
        problems.add(path + ": must be an object of key/value pairs");
        return;
      }
      node.fields()
          .forEachRemaining(e -> values.check(e.getValue(), path + "." + e.getKey(), problems));
    };
  }

  static Shape list(Shape items) {
    return list(items, 0);
  }

  static Shape list(Shape items, int minItems) {
    return (node, path, problems) -> {
      if (!node.isArray()) {
        problems.add(path + ": must be a list");
        return;
      }
      if (node.size() < minItems) {
        problems.add(path + ": needs at least " + minItems + " item(s)");
      }
      for (int i = 0; i < node.size(); i++) {
        items.check(node.get(i), path + "[" + i + "]", problems);
      }
    };
  }

  static Shape str() {
    return (node, path, problems) -> {
      if (!node.isTextual()) {
        problems.add(path + ": must be a string, is " + node.getNodeType());
      }
    };
  }

  static Shape str(Pattern pattern, String what) {
    return (node, path, problems) -> {
      if (!node.isTextual()) {
        problems.add(path + ": must be a string (" + what + "), is " + node.getNodeType());
      } else if (!pattern.matcher(node.asText()).matches()) {
        problems.add(path + ": \"" + node.asText() + "\" is not " + what);
      }
    };
  }

  static Shape oneOf(String... values) {
    Set<String> allowed = Set.of(values);
    return (node, path, problems) -> {
      if (!node.isTextual() || !allowed.contains(node.asText())) {
        problems.add(path + ": must be one of " + allowed + ", is " + node);
      }
    };
  }

  static Shape integer(long min, long max) {
    return (node, path, problems) -> {
      if (!node.isIntegralNumber()) {
        problems.add(path + ": must be an integer, is " + node.getNodeType());
      } else if (node.asLong() < min || node.asLong() > max) {
        problems.add(path + ": " + node.asLong() + " is outside " + min + ".." + max);
      }
    };
  }

  static Shape integer(long min) {
    return integer(min, Long.MAX_VALUE);
  }

  static Shape bool() {
    return (node, path, problems) -> {
      if (!node.isBoolean()) {
        problems.add(path + ": must be true or false, is " + node);
      }
    };
  }

  /** A Kubernetes quantity ("20Gi", "500m", 2). */
  static Shape quantity() {
    Pattern q =
        Pattern.compile("^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|[KMGTPE]i|[mkMGTPE])?$");
    return (node, path, problems) -> {
      if (node.isIntegralNumber()) {
        return;
      }
      if (!node.isTextual() || !q.matcher(node.asText()).matches()) {
        problems.add(path + ": " + node + " is not a quantity");
      }
    };
  }

  /** A Prometheus duration ("30s", "1m30s"). */
  static Shape duration() {
    return str(
        Pattern.compile("^((\\d+y)?(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?|0)$"),
        "a Prometheus duration");
  }

  /** A field holding a built-in Kubernetes type, checked strictly by the fabric8 model. */
  static Shape typed(Class<?> type) {
    return (node, path, problems) -> {
      try {
        KubeModel.mapper().treeToValue(node, type);
      } catch (JsonMappingException e) {
        problems.add(path + "." + KubeModel.describe(e) + " (as " + type.getSimpleName() + ")");
      } catch (Exception e) {
        problems.add(path + ": not a valid " + type.getSimpleName() + ": " + e.getMessage());
      }
    };
  }

  /** This shape, then a further check on the same node (for rules across fields). */
  default Shape and(BiConsumer<JsonNode, List<String>> rule) {
    Shape self = this;
    return (node, path, problems) -> {
      int before = problems.size();
      self.check(node, path, problems);
      if (problems.size() == before) {
        List<String> extra = new java.util.ArrayList<>();
        rule.accept(node, extra);
        extra.forEach(p -> problems.add(path + ": " + p));
      }
    };
  }
}
