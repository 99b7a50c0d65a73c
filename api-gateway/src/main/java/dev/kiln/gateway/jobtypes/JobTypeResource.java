package dev.kiln.gateway.jobtypes;

import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.jobs.Policies;
import dev.kiln.model.jobtypes.InputSpec;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import dev.kiln.model.jobtypes.ParamSpec;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/job-types")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.VIEWER)
public class JobTypeResource {

  /**
   * @param items every job type with its stages, parameter schema and execution policy (defaults
   *     included)
   */
  public record JobTypeList(List<JobTypeView> items) {}

  /**
   * A job type as clients see it.
   *
   * @param retry the default retry policy of its jobs; a submission may override each field
   * @param timeoutSeconds the default time one attempt may run
   * @param thumbnail the artifact a finished job links as {@code links.thumbnail}, or null
   */
  public record JobTypeView(
      String name,
      String title,
      String description,
      List<String> stages,
      Map<String, ParamSpec> params,
      InputSpec inputs,
      Policies.Retry retry,
      long timeoutSeconds,
      String thumbnail) {

    static JobTypeView of(JobTypeDescriptor d) {
      return new JobTypeView(
          d.name(),
          d.title(),
          d.description(),
          d.stages(),
          d.params(),
          d.inputs(),
          Policies.Retry.of(d.policy()),
          Policies.timeoutSeconds(d.policy()),
          d.thumbnail());
    }
  }

  @Inject JobTypes jobTypes;

  @GET
  @Operation(summary = "List job types with their stages, parameters and default retry policy")
  public JobTypeList list() {
    return new JobTypeList(jobTypes.all().stream().map(JobTypeView::of).toList());
  }
}
