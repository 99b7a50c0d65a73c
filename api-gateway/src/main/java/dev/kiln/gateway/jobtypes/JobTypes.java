package dev.kiln.gateway.jobtypes;

import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.JobTypeCatalog;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The job types this gateway accepts: every descriptor on the class path. */
@ApplicationScoped
public class JobTypes {

  private final JobTypeCatalog catalog =
      JobTypeCatalog.fromClasspath(JobTypes.class.getClassLoader());

  public JobTypeDescriptor require(String type) {
    return catalog
        .find(type)
        .orElseThrow(
            () ->
                new ProblemException(
                    400,
                    "UNKNOWN_JOB_TYPE",
                    "Unknown job type",
                    (type == null
                            ? "type is required"
                            : "unknown job type '"
                                + dev.kiln.gateway.problems.Problems.truncate(type)
                                + "'")
                        + "; valid types: "
                        + String.join(", ", catalog.names()),
                    List.of(
                        new dev.kiln.model.jobtypes.FieldError(
                            "type",
                            type == null ? "REQUIRED" : "UNKNOWN_JOB_TYPE",
                            "valid types: " + String.join(", ", catalog.names()))),
                    Map.of("validTypes", List.copyOf(catalog.names()))));
  }

  public java.util.Optional<JobTypeDescriptor> find(String type) {
    return catalog.find(type);
  }

  public Collection<JobTypeDescriptor> all() {
    return catalog.all();
  }

  public Collection<String> names() {
    return catalog.names();
  }
}
