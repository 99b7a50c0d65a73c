package dev.kiln.model.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON configuration for everything that crosses the broker. */
public final class KilnJson {

  private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build());

  private KilnJson() {}

  /** Shared, thread-safe mapper for wire messages. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Applies the wire conventions to a mapper (used for Quarkus' own mapper too, so the REST API and
   * the broker agree on dates and nulls).
   */
  public static ObjectMapper configure(ObjectMapper mapper) {
    mapper.registerModule(new JavaTimeModule());
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    // why: messages are versioned records; a newer producer may add fields an older consumer
    // does not know yet, and that must not poison the queue.
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    return mapper;
  }
}
