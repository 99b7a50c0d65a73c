package dev.kiln.gateway.batches;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.auth.Access;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.auth.Role;
import dev.kiln.gateway.idempotency.IdempotencyKeys;
import dev.kiln.gateway.idempotency.RequestHash;
import dev.kiln.gateway.jobs.Ids;
import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.jobs.JobResource;
import dev.kiln.gateway.jobs.JobService;
import dev.kiln.gateway.jobs.JobStatus;
import dev.kiln.gateway.jobs.SubmitRequest;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.gateway.problems.Problems;
import dev.kiln.gateway.uploads.UploadChecks;
import dev.kiln.model.jobtypes.FieldError;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Many jobs in one request, stored in one transaction, followed as one. */
@Path("/api/v1/batches")
@Produces(MediaType.APPLICATION_JSON)
public class BatchResource {

  public static final int MAX_JOBS = 1000;

  /**
   * @param jobs the jobs, 1 to 1,000
   */
  public record BatchRequest(List<SubmitRequest> jobs) {}

  /** Links of a batch. */
  public record BatchLinks(String self, String events) {
    static BatchLinks of(UUID id) {
      return new BatchLinks("/api/v1/batches/" + id, "/api/v1/batches/" + id + "/events");
    }
  }

  /** The 202 answer: the batch and its jobs' ids in submission order. */
  public record BatchAccepted(
      UUID id, int jobCount, List<UUID> jobIds, Instant createdAt, BatchLinks links) {}

  /**
   * Aggregate state of a batch.
   *
   * @param counts jobs per status, every status present
   * @param progress mean progress of its jobs, 0..100
   * @param finished whether every job has ended
   */
  public record BatchView(
      UUID id,
      int jobCount,
      Map<String, Long> counts,
      int progress,
      boolean finished,
      Instant createdAt,
      BatchLinks links) {}

  @Inject JobService jobs;
  @Inject ObjectMapper json;
  @Inject EntityManager em;
  @Inject IdempotencyKeys idempotency;
  @Inject CurrentCaller caller;
  @Inject UploadChecks uploadChecks;

  static final String PATH = "/api/v1/batches";

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Access(value = Role.SUBMITTER, rateLimited = true)
  @Operation(
      summary =
          "Submit up to 1,000 jobs in one transaction. With Idempotency-Key, the same request"
              + " within 24 h answers with the original response")
  public Response submit(BatchRequest request, @HeaderParam(IdempotencyKeys.HEADER) String key)
      throws Exception {
    List<SubmitRequest> list = request == null ? null : request.jobs();
    if (list == null || list.isEmpty() || list.size() > MAX_JOBS) {
      throw ProblemException.validation(
          "a batch holds 1 to " + MAX_JOBS + " jobs",
          List.of(new FieldError("jobs", "OUT_OF_RANGE", "1 to " + MAX_JOBS + " jobs")));
    }
    return idempotency.handle(
        key,
        () -> RequestHash.of("POST", PATH, request),
        claim -> {
          UUID batchId = Ids.newId();
          return accepted(batchId, jobs.submitBatch(list, batchId, recording(claim, batchId)));
        });
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Access(value = Role.SUBMITTER, rateLimited = true)
  @Operation(summary = "Submit one job per uploaded file; the 'job' part is the template")
  public Response submitFiles(
      @RestForm("job") String jobPart,
      @RestForm(FileUpload.ALL) List<FileUpload> files,
      @HeaderParam(IdempotencyKeys.HEADER) String key)
      throws Exception {
    List<FileUpload> uploads = JobResource.uploadsOnly(files);
    uploadChecks.checkSizes(uploads);
    if (uploads.isEmpty() || uploads.size() > MAX_JOBS) {
      throw ProblemException.validation(
          "send 1 to " + MAX_JOBS + " files",
          List.of(new FieldError("files", "OUT_OF_RANGE", "1 to " + MAX_JOBS + " files")));
    }
    SubmitRequest template = JobResource.parseJobPart(json, jobPart, "job.");
    return idempotency.handle(
        key,
        () -> RequestHash.of("POST", PATH, template, uploads),
        claim -> {
          UUID batchId = Ids.newId();
          return accepted(
              batchId,
              jobs.submitBatchOfUploads(template, uploads, batchId, recording(claim, batchId)));
        });
  }

  /** Stores the 202 under the key in the submission's transaction (nothing without a key). */
  private java.util.function.Consumer<List<Job>> recording(
      IdempotencyKeys.Claim claim, UUID batchId) {
    return claim == null
        ? JobService.NOTHING
        : created -> idempotency.record(claim, accepted(batchId, created));
  }

  @GET
  @Path("/{id}")
  @Access(Role.VIEWER)
  @Operation(summary = "Counts by status and aggregate progress of a batch")
  public BatchView get(@PathParam("id") String id) {
    UUID batchId = Problems.parseUuid("batch id", id);
    Batch batch = Batch.findById(batchId);
    if (batch == null || !caller.get().sees(batch.tenantId)) {
      throw ProblemException.notFound("BATCH_NOT_FOUND", "Batch", batchId);
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (JobStatus s : JobStatus.values()) {
      counts.put(s.wire(), 0L);
    }
    long progressSum = 0;
    List<Object[]> rows =
        em.createQuery(
                "select j.status, count(j), sum(j.progress) from Job j where j.batchId = :b group by j.status",
                Object[].class)
            .setParameter("b", batchId)
            .getResultList();
    for (Object[] row : rows) {
      counts.put(((JobStatus) row[0]).wire(), (Long) row[1]);
      progressSum += ((Number) row[2]).longValue();
    }
    long unfinished = counts.get(JobStatus.QUEUED.wire()) + counts.get(JobStatus.RUNNING.wire());
    return new BatchView(
        batch.id,
        batch.jobCount,
        counts,
        batch.jobCount == 0 ? 100 : (int) (progressSum / batch.jobCount),
        unfinished == 0,
        batch.createdAt,
        BatchLinks.of(batch.id));
  }

  private static Response accepted(UUID batchId, List<Job> created) {
    BatchAccepted body =
        new BatchAccepted(
            batchId,
            created.size(),
            created.stream().map(j -> j.id).toList(),
            created.isEmpty() ? Instant.now() : created.get(0).createdAt,
            BatchLinks.of(batchId));
    return Response.accepted(body).location(URI.create(body.links().self())).build();
  }
}
