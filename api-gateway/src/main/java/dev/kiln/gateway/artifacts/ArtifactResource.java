package dev.kiln.gateway.artifacts;

import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.jobs.JobResource;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.problems.Problems;
import dev.kiln.gateway.storage.ObjectStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Artifact listing and downloads through short-lived presigned URLs; the bucket stays private. */
@Path("/api/v1/jobs/{id}/artifacts")
@Produces(MediaType.APPLICATION_JSON)
@Access(Role.VIEWER)
public class ArtifactResource {

  /**
   * @param items artifacts with download URLs
   */
  public record ArtifactList(List<ArtifactView> items) {}

  @Inject ObjectStore store;
  @Inject CurrentCaller caller;

  @GET
  @Operation(summary = "List a job's artifacts with presigned download URLs")
  public ArtifactList list(@PathParam("id") String id) throws Exception {
    UUID jobId = existingJob(id);
    List<ArtifactView> items = new ArrayList<>();
    for (JobArtifact a : JobArtifact.ofJob(jobId)) {
      ObjectStore.SignedUrl url = store.presignDownload(a.objectKey);
      items.add(
          new ArtifactView(
              a.name, a.size, a.contentType, a.sha256, a.createdAt, url.url(), url.expiresAt()));
    }
    return new ArtifactList(items);
  }

  @GET
  @Path("/{name}")
  @Operation(summary = "Redirect (302) to a presigned download URL of one artifact")
  public Response download(@PathParam("id") String id, @PathParam("name") String name)
      throws Exception {
    UUID jobId = existingJob(id);
    // why: a name that no artifact can have ("..", separators, NUL, overlong) is not looked up
    JobArtifact artifact =
        ArtifactKeys.isSafeName(name)
            ? JobArtifact.findById(new JobArtifact.Key(jobId, name))
            : null;
    if (artifact == null) {
      throw ProblemException.notFound("ARTIFACT_NOT_FOUND", "Artifact", Problems.truncate(name));
    }
    ObjectStore.SignedUrl url = store.presignDownload(artifact.objectKey);
    return Response.status(Response.Status.FOUND)
        .location(URI.create(url.url()))
        .header("Cache-Control", "no-store")
        .build();
  }

  private UUID existingJob(String id) {
    return JobResource.find(id, caller.get()).id;
  }
}
