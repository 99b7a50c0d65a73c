package dev.kiln.gateway.limits;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The API reads client JSON strictly: what a client sends either means exactly one thing or is
 * refused. Only the REST mapper is affected; wire messages between processes use {@code KilnJson},
 * which stays lenient so that producers can add fields.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

  @Inject InputLimits limits;

  @Override
  public void customize(ObjectMapper mapper) {
    apply(mapper, limits);
  }

  /** Applies the strict rules to {@code mapper}; public so that tests can build the same mapper. */
  public static ObjectMapper apply(ObjectMapper mapper, InputLimits limits) {
    // why: with two "type" keys, the gateway and an idempotency hash could each see another value
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    // why: `{"type":"a"} garbage` is not JSON; silently reading its prefix hides client bugs
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    // why: 1.5 attempts is a client error, not 1 attempt
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    // why: "30" is not a number and 30 is not a string; coercions would accept typos silently
    for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    for (LogicalType type : new LogicalType[] {LogicalType.Collection, LogicalType.POJO}) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(limits.jsonMaxDepth())
                .maxStringLength(limits.jsonMaxStringLength())
                .maxNumberLength(limits.jsonMaxNumberLength())
                .maxNameLength(limits.jsonMaxStringLength())
                .build());
    return mapper;
  }
}
