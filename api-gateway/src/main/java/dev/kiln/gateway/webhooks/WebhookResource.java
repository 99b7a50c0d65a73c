package dev.kiln.gateway.webhooks;

import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.jobs.JobResource;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The webhook deliveries of a job and every attempt made, so clients can see why one failed. */
@Path("/api/v1/jobs/{id}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.VIEWER)
public class WebhookResource {

  /**
   * @param items one delivery per terminal outcome of the job, oldest first; empty when the job has
   *     no notify URL or has not ended
   */
  public record WebhookList(List<WebhookDeliveries.Row> items) {}

  @Inject WebhookDeliveries deliveries;
  @Inject CurrentCaller caller;

  @GET
  @Operation(
      summary =
          "List a job's webhook deliveries (status pending, delivered, failed or given_up) with"
              + " their attempts")
  public WebhookList list(@PathParam("id") String id) throws Exception {
    return new WebhookList(deliveries.ofJob(JobResource.find(id, caller.get()).id));
  }
}
