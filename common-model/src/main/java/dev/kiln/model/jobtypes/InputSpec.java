package dev.kiln.model.jobtypes;

import java.util.List;

/**
 * What inputs a job type accepts.
 *
 * @param min fewest inputs
 * @param max most inputs
 * @param contentTypes accepted media types; empty accepts any
 */
public record InputSpec(int min, int max, List<String> contentTypes) {

  public static final InputSpec NONE = new InputSpec(0, 0, List.of());

  public InputSpec {
    contentTypes = contentTypes == null ? List.of() : List.copyOf(contentTypes);
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
