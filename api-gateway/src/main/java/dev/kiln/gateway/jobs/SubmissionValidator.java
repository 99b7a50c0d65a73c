package dev.kiln.gateway.jobs;

import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.FieldError;
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
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a submission against its job type before anything is stored, and reports every problem at
 * once with the path of the offending field.
 */
@ApplicationScoped
public class SubmissionValidator {

  static final int MAX_URL_LENGTH = 2048;
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,511}");

  @Inject JobTypes jobTypes;

  /**
   * @param descriptor the job type
   * @param request the request as sent
   * @param uploads number of uploaded files that will join the referenced inputs
   * @param errors where to add problems
   * @param prefix path prefix of the request's fields, e.g. {@code jobs[3].}
   * @return the referenced inputs, named and unique
   */
  public List<InputRef> check(
      JobTypeDescriptor descriptor,
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
    if (count < descriptor.inputs().min() || count > descriptor.inputs().max()) {
      errors.add(
          new FieldError(
              prefix + "inputs",
              "INPUT_COUNT",
              descriptor.name()
                  + " takes "
                  + descriptor.inputs().min()
                  + " to "
                  + descriptor.inputs().max()
                  + " inputs, got "
                  + count));
    }
    if (request.notifyUrl() != null && !isHttpUrl(request.notifyUrl())) {
      errors.add(
          new FieldError(
              prefix + "notifyUrl", "INVALID_URL", "must be an absolute http or https URL"));
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
    if (input.url() != null && !isHttpUrl(input.url())) {
      errors.add(
          new FieldError(
              field + ".url",
              "INVALID_URL",
              "must be an absolute http or https URL of at most "
                  + MAX_URL_LENGTH
                  + " characters"));
      return null;
    }
    if (input.object() != null
        && (!SAFE_KEY.matcher(input.object()).matches() || input.object().contains(".."))) {
      errors.add(new FieldError(field + ".object", "INVALID_OBJECT_KEY", "not a valid object key"));
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
    if (base.length() > 128) {
      base = base.substring(base.length() - 128);
    }
    return unique(base, taken);
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
    if (value.length() > MAX_URL_LENGTH) {
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
