package dev.kiln.gateway.deadletters;

import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.jobs.JobLinks;
import dev.kiln.gateway.jobs.JobView;
import dev.kiln.gateway.problems.Problems;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Messages the work queues gave up on, and running them again. */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.ADMIN)
public class DeadLetterResource {

  @Inject DeadLetters deadLetters;
  @Inject CurrentCaller caller;

  @GET
  @Operation(summary = "List dead-lettered job messages newest first, with cursor pagination")
  public DeadLetters.Page list(
      @QueryParam("type") String type,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return deadLetters.list(type, parseLimit(limit), cursor);
  }

  @POST
  @Path("/{id}/requeue")
  @Operation(
      summary =
          "Run a dead letter's failed job again as a new attempt and remove the dead letter"
              + " (409 unless the job is failed)")
  public Response requeue(@PathParam("id") String id) {
    Job job = deadLetters.requeue(Problems.parseUuid("dead letter id", id), caller.get());
    return Response.accepted(JobView.of(job, List.of()))
        .location(URI.create(JobLinks.of(job.id).self()))
        .build();
  }

  private static Integer parseLimit(String limit) {
    if (limit == null) {
      return null;
    }
    try {
      return Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
