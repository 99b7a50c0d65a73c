package dev.kiln.gateway.jobs;

import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.outbound.UrlGuards;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.FieldError;
import dev.kiln.model.jobtypes.InputSpec;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import dev.kiln.model.jobtypes.ParamValidator;
import dev.kiln.model.messages.InputRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a submission against its job type before anything is stored, and reports every problem at
 * once with the path of the offending field.
 */
@ApplicationScoped
public class SubmissionValidator {

  static final int MAX_URL_LENGTH = 2048;
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  // why: a reference may name an input or an artifact of a job, and nothing else in the bucket
  private static final Pattern SAFE_KEY =
      Pattern.compile(
          "(artifacts|inputs)/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/"
              + "[A-Za-z0-9][A-Za-z0-9._-]{0,255}");

  @Inject JobTypes jobTypes;
  @Inject UrlGuards guards;

  /**
   * @param descriptor the job type
   * @param params the request's params with defaults filled in: they may choose the input count
   * @param request the request as sent
   * @param uploads number of uploaded files that will join the referenced inputs
   * @param errors where to add problems
   * @param prefix path prefix of the request's fields, e.g. {@code jobs[3].}
   * @return the referenced inputs, named and unique
   */
  public List<InputRef> check(
      JobTypeDescriptor descriptor,
      com.fasterxml.jackson.databind.JsonNode params,
      SubmitRequest request,
      int uploads,
      List<FieldError> errors,
      String prefix) {
    List<InputRef> inputs = new ArrayList<>();
    List<SubmitRequest.InputRequest> given =
        request.inputs() == null ? List.of() : request.inputs();
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < given.size(); i++) {
      InputRef ref = checkInput(given.get(i), prefix + "inputs[" + i + "]", errors, names);
      if (ref != null) {
        inputs.add(ref);
      }
    }
    int count = given.size() + uploads;
    InputSpec.Range range = descriptor.inputs().rangeFor(params);
    if (count < range.min() || count > range.max()) {
      InputSpec.CountBy by = descriptor.inputs().countBy();
      String chosenBy =
          by != null && by.counts().containsKey(params.path(by.param()).asText(""))
              ? " with " + by.param() + " " + params.path(by.param()).asText()
              : "";
      errors.add(
          new FieldError(
              prefix + "inputs",
              "INPUT_COUNT",
              descriptor.name()
                  + chosenBy
                  + " takes "
                  + (range.min() == range.max()
                      ? Integer.toString(range.min())
                      : range.min() + " to " + range.max())
                  + " inputs, got "
                  + count));
    }
    if (request.notifyUrl() != null) {
      FieldError error =
          urlError(
              prefix + "notifyUrl",
              request.notifyUrl(),
              guards::refuseNotifyUrl,
              "must be an absolute http or https URL");
      if (error != null) {
        errors.add(error);
      }
    }
    return inputs;
  }

  public JobTypeDescriptor descriptor(SubmitRequest request) {
    return jobTypes.require(request.type());
  }

  public java.util.Optional<JobTypeDescriptor> findDescriptor(SubmitRequest request) {
    return request.type() == null
        ? java.util.Optional.empty()
        : jobTypes.all().stream().filter(d -> d.name().equals(request.type())).findFirst();
  }

  public FieldError unknownType(String field, String type) {
    return new FieldError(
        field,
        type == null ? "REQUIRED" : "UNKNOWN_JOB_TYPE",
        "valid types: " + String.join(", ", jobTypes.names()));
  }

  public ParamValidator.Result params(JobTypeDescriptor descriptor, SubmitRequest request) {
    return ParamValidator.validate(descriptor, request.params());
  }

  private InputRef checkInput(
      SubmitRequest.InputRequest input, String field, List<FieldError> errors, Set<String> names) {
    if (input == null || (input.url() == null) == (input.object() == null)) {
      errors.add(new FieldError(field, "INVALID_INPUT", "give exactly one of url and object"));
      return null;
    }
    String source = input.url() != null ? input.url() : input.object();
    if (input.url() != null) {
      FieldError error =
          urlError(
              field + ".url",
              input.url(),
              guards::refuseInputUrl,
              "must be an absolute http or https URL of at most " + MAX_URL_LENGTH + " characters");
      if (error != null) {
        errors.add(error);
        return null;
      }
    }
    if (input.object() != null
        && (!SAFE_KEY.matcher(input.object()).matches() || input.object().contains(".."))) {
      errors.add(
          new FieldError(
              field + ".object",
              "INVALID_OBJECT_KEY",
              "must be artifacts/{jobId}/{name} or inputs/{jobId}/{name}"));
      return null;
    }
    String name = input.name() != null ? input.name() : lastSegment(source);
    if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
      if (input.name() != null) {
        errors.add(
            new FieldError(
                field + ".name",
                "INVALID_NAME",
                "letters, digits, '.', '_' and '-' only, at most 128 characters"));
        return null;
      }
      name = "input-" + (names.size() + 1);
    }
    name = unique(name, names);
    return input.url() != null
        ? InputRef.url(name, input.url())
        : new InputRef(name, input.object(), null, null, null, null);
  }

  /**
   * {@code INVALID_URL} for what is no absolute http(s) URL at all, {@code URL_FORBIDDEN} for one
   * the SSRF guard refuses without resolving (an internal address in any spelling, a localhost
   * name, user information), or null. Names are not looked up here: the fetch or call resolves and
   * checks them again, which is where DNS rebinding is stopped.
   */
  public static FieldError urlError(
      String field, String url, Function<String, Optional<String>> refuse, String format) {
    // why: a URL with controls or other Unicode is malformed whatever it points at
    if (!isHttpForm(url) || !isPrintableAscii(url)) {
      return new FieldError(field, "INVALID_URL", format);
    }
    Optional<String> refusal = refuse.apply(url);
    if (refusal.isPresent()) {
      return new FieldError(field, "URL_FORBIDDEN", refusal.get());
    }
    return isHttpUrl(url) ? null : new FieldError(field, "INVALID_URL", format);
  }

  /**
   * An http(s) URL with an authority; its host may still be one {@link URI} cannot read ({@code
   * 127.1}), which the guard judges.
   */
  private static boolean isHttpForm(String value) {
    if (value.length() > MAX_URL_LENGTH) {
      return false;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https"))
          && !uri.isOpaque()
          && uri.getRawAuthority() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** Makes a safe, unique file name out of a client-supplied one. */
  static String safeName(String raw, Set<String> taken) {
    String base = raw == null ? "" : raw.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    while (base.startsWith(".") || base.startsWith("_") || base.startsWith("-")) {
      base = base.substring(1);
    }
    if (base.isEmpty() || base.contains("..")) {
      base = "input-" + (taken.size() + 1);
    }
    if (base.length() > 120) {
      // why: keep the extension, and leave room for the prefix unique() may add, so the result
      // stays within the 128 characters of a safe name
      base = base.substring(base.length() - 120);
      while (!base.isEmpty() && !Character.isLetterOrDigit(base.charAt(0))) {
        base = base.substring(1);
      }
    }
    return unique(base.isEmpty() ? "input-" + (taken.size() + 1) : base, taken);
  }

  private static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = n + "-" + name;
    }
    return candidate;
  }

  private static String lastSegment(String source) {
    String path = source;
    try {
      if (source.contains("://")) {
        path = URI.create(source).getPath();
      }
    } catch (IllegalArgumentException e) {
      path = "";
    }
    return path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
  }

  static boolean isHttpUrl(String value) {
    if (value.length() > MAX_URL_LENGTH || !isPrintableAscii(value)) {
      // why: a URI is ASCII (RFC 3986); controls, bidi overrides and other Unicode in a URL only
      // serve to make it look like another one
      return false;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static boolean isPrintableAscii(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  public static void throwIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw ProblemException.validation(
          errors.size() == 1
              ? errors.get(0).field() + ": " + errors.get(0).message()
              : errors.size() + " fields are invalid",
          errors);
    }
  }
}
