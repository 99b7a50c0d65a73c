package dev.kiln.model.jobtypes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What inputs a job type accepts.
 *
 * @param min fewest inputs
 * @param max most inputs
 * @param contentTypes accepted media types; empty accepts any
 * @param countBy narrower counts chosen by a parameter's value (e.g. one image per relief, 3 to 64
 *     per multiview model); null when the count does not depend on a parameter
 */
public record InputSpec(int min, int max, List<String> contentTypes, CountBy countBy) {

  public static final InputSpec NONE = new InputSpec(0, 0, List.of(), null);

  /**
   * @param param name of a string parameter
   * @param counts input count range per value of that parameter; values not listed use the type's
   *     own min and max
   */
  public record CountBy(String param, Map<String, Range> counts) {
    public CountBy {
      counts = counts == null ? Map.of() : Map.copyOf(counts);
    }
  }

  /** An inclusive range of input counts. */
  public record Range(int min, int max) {}

  public InputSpec {
    contentTypes = contentTypes == null ? List.of() : List.copyOf(contentTypes);
  }

  public InputSpec(int min, int max, List<String> contentTypes) {
    this(min, max, contentTypes, null);
  }

  /**
   * The input counts allowed for a job with these (defaults-filled) params.
   *
   * @param params the job's params after defaults were applied; may be null
   */
  public Range rangeFor(JsonNode params) {
    if (countBy != null && params != null) {
      Range narrower = countBy.counts().get(params.path(countBy.param()).asText(""));
      if (narrower != null) {
        return narrower;
      }
    }
    return new Range(min, max);
  }

  public boolean accepts(String contentType) {
    if (contentTypes.isEmpty()) {
      return true;
    }
    if (contentType == null) {
      return false;
    }
    String bare = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return contentTypes.contains(bare);
  }
}
