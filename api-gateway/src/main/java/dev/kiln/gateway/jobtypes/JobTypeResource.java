package dev.kiln.gateway.jobtypes;

import dev.kiln.model.jobtypes.JobTypeDescriptor;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/job-types")
@Produces(MediaType.APPLICATION_JSON)
public class JobTypeResource {

  /**
   * @param items every job type with its stages and parameter schema (defaults included)
   */
  public record JobTypeList(List<JobTypeDescriptor> items) {}

  @Inject JobTypes jobTypes;

  @GET
  @Operation(summary = "List job types with their stages and parameters")
  public JobTypeList list() {
    return new JobTypeList(List.copyOf(jobTypes.all()));
  }
}
