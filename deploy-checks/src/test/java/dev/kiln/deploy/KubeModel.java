package dev.kiln.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Reads Kubernetes objects into fabric8's model classes the way the API server would accept them,
 * not the way fabric8 is lenient about them.
 *
 * <p>fabric8's classes keep every unknown field in an "additionalProperties" map (a JSON
 * any-setter), so a misspelled {@code imagePullPolcy} or a {@code resources} block one level too
 * deep would deserialise without complaint. This mapper ignores those any-setters, so unknown
 * fields fail with their path. It also refuses the scalar coercions Jackson does by default and the
 * API server does not ("8080" for an integer port, 8080 for a string env value, 1.5 for an
 * integer).
 */
public final class KubeModel {

  private static final ObjectMapper STRICT = strictMapper();

  private KubeModel() {}

  public static ObjectMapper mapper() {
    return STRICT;
  }

  public static <T> T read(Manifest manifest, Class<T> type) {
    return read(manifest.node(), type, manifest.toString());
  }

  /**
   * @param where what to name in the failure (object and file)
   * @throws AssertionError with the offending field's path
   */
  public static <T> T read(JsonNode node, Class<T> type, String where) {
    try {
      return STRICT.treeToValue(node, type);
    } catch (JsonMappingException e) {
      throw new AssertionError(
          where + " is not a valid " + type.getSimpleName() + ": " + describe(e), e);
    } catch (Exception e) {
      throw new AssertionError(where + " cannot be read as " + type.getSimpleName() + ": " + e, e);
    }
  }

  /** The field path (spec.template.spec.containers[0].imagePullPolcy) and the reason. */
  public static String describe(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    String reason = e.getOriginalMessage();
    int newline = reason.indexOf('\n');
    if (newline > 0) {
      reason = reason.substring(0, newline);
    }
    return (path.isEmpty() ? "(root)" : path) + ": " + reason;
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.setAnnotationIntrospector(
        new JacksonAnnotationIntrospector() {
          @Override
          public Boolean hasAnySetter(Annotated annotated) {
            // why: see the class comment; every fabric8 class has one, ours have none
            return Boolean.FALSE;
          }
        });
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
      mapper.coercionConfigFor(numeric).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }
}
