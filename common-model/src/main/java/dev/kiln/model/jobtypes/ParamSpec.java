package dev.kiln.model.jobtypes;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Schema of one job parameter: a small, explicit subset of JSON Schema that the gateway enforces
 * and publishes through {@code GET /api/v1/job-types}.
 *
 * @param type {@code integer}, {@code number}, {@code string}, {@code boolean} or {@code array}
 * @param description what the parameter does
 * @param defaultValue value used when the client omits it; null makes the parameter optional with
 *     no value
 * @param required whether the client must give it
 * @param minimum inclusive lower bound for numbers
 * @param maximum inclusive upper bound for numbers
 * @param maxLength cap for strings; {@link #DEFAULT_MAX_LENGTH} when unset
 * @param enumValues allowed values for strings (and for array items)
 * @param maxItems cap for arrays; {@link #DEFAULT_MAX_ITEMS} when unset
 * @param minItems fewest items of an array; none when unset
 * @param items schema of array items
 */
public record ParamSpec(
    String type,
    String description,
    @JsonProperty("default") JsonNode defaultValue,
    boolean required,
    Double minimum,
    Double maximum,
    Integer maxLength,
    @JsonProperty("enum") List<String> enumValues,
    Integer maxItems,
    Integer minItems,
    ParamSpec items) {

  /** why: every string is capped, so no parameter can carry an unbounded payload. */
  public static final int DEFAULT_MAX_LENGTH = 1024;

  /** why: every array is capped too, for the same reason. */
  public static final int DEFAULT_MAX_ITEMS = 1000;

  public int effectiveMaxItems() {
    return maxItems == null ? DEFAULT_MAX_ITEMS : maxItems;
  }

  public int effectiveMaxLength() {
    return maxLength == null ? DEFAULT_MAX_LENGTH : maxLength;
  }
}
