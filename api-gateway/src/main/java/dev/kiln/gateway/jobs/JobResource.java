package dev.kiln.gateway.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.artifacts.ArtifactView;
import dev.kiln.gateway.artifacts.JobArtifact;
import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.Caller;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.auth.StreamTokens;
import dev.kiln.gateway.idempotency.IdempotencyKeys;
import dev.kiln.gateway.idempotency.RequestHash;
import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.problems.JsonProblems;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.problems.Problems;
import dev.kiln.gateway.uploads.UploadChecks;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Submit, inspect, list, cancel and retry jobs. */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

  @Inject JobService jobs;
  @Inject JobTypes jobTypes;
  @Inject JobControl control;
  @Inject JobQueries queries;
  @Inject ObjectMapper json;
  @Inject JobMetrics metrics;
  @Inject IdempotencyKeys idempotency;
  @Inject CurrentCaller caller;
  @Inject StreamTokens streamTokens;
  @Inject UploadChecks uploadChecks;

  static final String PATH = "/api/v1/jobs";

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Access(value = Role.SUBMITTER, rateLimited = true)
  @Operation(
      summary =
          "Submit a job; answers 202 with its id and links. With Idempotency-Key, the same"
              + " request within 24 h answers with the original response")
  public Response submit(
      @RequestBody(required = true) SubmitRequest request,
      @HeaderParam(IdempotencyKeys.HEADER) String key)
      throws Exception {
    if (request == null) {
      throw new ProblemException(400, "MALFORMED_JSON", "Malformed JSON", "the body is empty");
    }
    return idempotency.handle(
        key,
        () -> RequestHash.of("POST", PATH, request),
        claim -> accepted(jobs.submit(request, List.of(), recording(claim))));
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Access(value = Role.SUBMITTER, rateLimited = true)
  @Operation(summary = "Submit a job with uploaded files: a 'job' JSON part plus file parts")
  public Response submitWithFiles(
      @RestForm("job") String jobPart,
      @RestForm(FileUpload.ALL) List<FileUpload> files,
      @HeaderParam(IdempotencyKeys.HEADER) String key)
      throws Exception {
    List<FileUpload> uploads = uploadsOnly(files);
    uploadChecks.checkSizes(uploads);
    SubmitRequest request = parseJobPart(json, jobPart, "");
    return idempotency.handle(
        key,
        () -> RequestHash.of("POST", PATH, request, uploads),
        claim -> accepted(jobs.submit(request, uploads, recording(claim))));
  }

  /** Stores the 202 under the key in the submission's transaction (nothing without a key). */
  private java.util.function.Consumer<List<Job>> recording(IdempotencyKeys.Claim claim) {
    return claim == null
        ? JobService.NOTHING
        : created -> idempotency.record(claim, accepted(created.get(0)));
  }

  @GET
  @Path("/{id}")
  @Access(Role.VIEWER)
  @Operation(summary = "Get a job with its stages, artifacts and error")
  public JobView get(@PathParam("id") String id) {
    Job job = find(id, caller.get());
    return JobView.of(
        job,
        JobArtifact.ofJob(job.id).stream().map(ArtifactView::of).toList(),
        jobTypes.find(job.type).map(JobTypeDescriptor::thumbnail).orElse(null));
  }

  @GET
  @Access(Role.VIEWER)
  @Operation(
      summary =
          "List the tenant's jobs newest first, with cursor pagination (admins: every tenant's,"
              + " or one tenant's with ?tenant=)")
  public JobQueries.Page list(
      @QueryParam("status") String status,
      @QueryParam("type") String type,
      @QueryParam("tenant") String tenant,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return queries.list(caller.get(), tenant, status, type, parseLimit(limit), cursor);
  }

  @POST
  @Path("/{id}/cancel")
  @Access(Role.SUBMITTER)
  @Operation(summary = "Cancel a queued or running job (409 when it has already ended)")
  public Response cancel(@PathParam("id") String id) {
    Job job = control.cancel(Problems.parseUuid("job id", id), caller.get());
    if (job.status == JobStatus.CANCELLED) {
      // a queued job ends here; a running one ends when its worker reports it
      metrics.finished(job);
    }
    return Response.accepted(JobView.of(job, List.of())).build();
  }

  @POST
  @Path("/{id}/retry")
  @Access(Role.SUBMITTER)
  @Operation(summary = "Run a failed or cancelled job again as a new attempt (409 otherwise)")
  public Response retry(@PathParam("id") String id) {
    Job job = control.retry(Problems.parseUuid("job id", id), caller.get());
    return Response.accepted(JobView.of(job, List.of()))
        .location(URI.create(JobLinks.of(job.id).self()))
        .build();
  }

  /**
   * @param token pass as {@code ?access_token=} to the job's events URL
   * @param expiresAt when the token stops working
   * @param eventsUrl the job's event stream with the token, ready for {@code new EventSource()}
   */
  public record StreamToken(String token, Instant expiresAt, String eventsUrl) {}

  @POST
  @Path("/{id}/stream-token")
  @Access(Role.VIEWER)
  @Operation(
      summary =
          "A short-lived, read-only token for this job's event stream, for browser EventSource"
              + " clients, which cannot send headers")
  public Response streamToken(@PathParam("id") String id) {
    Job job = find(id, caller.get());
    StreamTokens.Issued issued = streamTokens.issue(job.id, caller.get(), Instant.now());
    return Response.ok(
            new StreamToken(
                issued.token(),
                issued.expiresAt(),
                JobLinks.of(job.id).events() + "?access_token=" + issued.token()))
        .header("Cache-Control", "no-store")
        .build();
  }

  /** The job, when the caller may see it; 404 alike for missing jobs and other tenants' jobs. */
  public static Job find(String id, Caller caller) {
    UUID jobId = Problems.parseUuid("job id", id);
    Job job = Job.findById(jobId);
    if (job == null || !caller.sees(job.tenantId)) {
      throw ProblemException.notFound("JOB_NOT_FOUND", "Job", jobId);
    }
    return job;
  }

  /**
   * Reads the {@code job} part of a multipart request with the API's strict JSON rules.
   *
   * @param prefix path of the part's fields in field errors, as for its other problems
   */
  public static SubmitRequest parseJobPart(ObjectMapper json, String jobPart, String prefix) {
    if (jobPart == null || jobPart.isBlank()) {
      throw ProblemException.validation(
          "multipart submissions need a 'job' part with the job JSON",
          List.of(new dev.kiln.model.jobtypes.FieldError("job", "REQUIRED", "missing part")));
    }
    if (jobPart.indexOf('\uFFFD') >= 0 || jobPart.indexOf('\u0000') >= 0) {
      // why: the part was decoded leniently, so bytes that are not UTF-8 arrive as U+FFFD
      throw new ProblemException(
          400, "MALFORMED_JSON", "Malformed JSON", "the 'job' part is not valid UTF-8");
    }
    try {
      return json.readValue(jobPart, SubmitRequest.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw JsonProblems.of(e, prefix);
    }
  }

  /** why: FileUpload.ALL also lists the {@code job} part when a client sends it as a file. */
  public static List<FileUpload> uploadsOnly(List<FileUpload> files) {
    return files == null ? List.of() : files.stream().filter(f -> !"job".equals(f.name())).toList();
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

  private static Response accepted(Job job) {
    return Response.accepted(JobAccepted.of(job))
        .location(URI.create(JobLinks.of(job.id).self()))
        .build();
  }
}
