package dev.kiln.gateway.problems;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.model.jobtypes.FieldError;
import java.util.List;
import java.util.Map;

/**
 * RFC 9457 problem details, the body of every error response ({@code application/problem+json}).
 *
 * @param type URI naming the problem type: {@code urn:kiln:problem:<code in kebab case>}
 * @param title short summary, the same for every occurrence of the type
 * @param status HTTP status
 * @param detail what went wrong this time
 * @param instance the request path
 * @param code stable machine-readable code, e.g. {@code VALIDATION_FAILED}
 * @param errors one entry per invalid field, empty when not about fields
 * @param extensions extra members specific to the problem, e.g. {@code validTypes}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    List<FieldError> errors,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> extensions) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static String typeUri(String code) {
    return "urn:kiln:problem:" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  @JsonAnyGetter
  Map<String, Object> extensionMembers() {
    return extensions;
  }

  /** Hidden: members are flattened into the problem object by {@link #extensionMembers()}. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  @Override
  public Map<String, Object> extensions() {
    return extensions;
  }
}
