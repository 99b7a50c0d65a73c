package dev.kiln.gateway.jobs;

import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.model.jobtypes.FieldError;
import dev.kiln.model.jobtypes.JobTypeDescriptor;
import dev.kiln.model.jobtypes.ParamValidator;
import dev.kiln.model.messages.ExecutionPolicy;
import dev.kiln.model.messages.InputRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Submission use cases: validate everything first, then store uploads, then insert in one
 * transaction. A request with any invalid part stores nothing.
 */
@ApplicationScoped
public class JobService {

  private static final Logger LOG = Logger.getLogger(JobService.class);

  /** Nothing more to do in a submission's transaction. */
  public static final Consumer<List<Job>> NOTHING = jobs -> {};

  @Inject SubmissionValidator validator;
  @Inject InputStorage inputs;
  @Inject JobSubmitter submitter;
  @Inject JobMetrics metrics;
  @Inject CurrentCaller caller;

  /**
   * One job, with any uploaded files as extra inputs.
   *
   * @param inTransaction runs in the transaction that inserts the job, after the insert; what it
   *     throws rolls the submission back
   */
  public Job submit(
      SubmitRequest request, List<FileUpload> uploads, Consumer<List<Job>> inTransaction)
      throws Exception {
    List<FieldError> errors = new ArrayList<>();
    PreparedJob job = prepare(request, uploads, errors, "");
    return insert(List.of(job), null, inTransaction).get(0);
  }

  /** Many jobs in one transaction; field paths are prefixed with {@code jobs[i].}. */
  public List<Job> submitBatch(
      List<SubmitRequest> requests, UUID batchId, Consumer<List<Job>> inTransaction)
      throws Exception {
    List<FieldError> errors = new ArrayList<>();
    List<Validated> validated = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      validated.add(validate(requests.get(i), 0, errors, "jobs[" + i + "]."));
    }
    SubmissionValidator.throwIfAny(errors);
    List<PreparedJob> prepared = new ArrayList<>();
    for (int i = 0; i < validated.size(); i++) {
      prepared.add(resolve(validated.get(i), List.of(), errors, "jobs[" + i + "]."));
    }
    SubmissionValidator.throwIfAny(errors);
    return insert(prepared, batchId, inTransaction);
  }

  /** One job per uploaded file, each built from the same template request. */
  public List<Job> submitBatchOfUploads(
      SubmitRequest template,
      List<FileUpload> uploads,
      UUID batchId,
      Consumer<List<Job>> inTransaction)
      throws Exception {
    List<FieldError> errors = new ArrayList<>();
    int perJob = filesPerJob(template, uploads.size(), errors);
    SubmissionValidator.throwIfAny(errors);
    Validated base = validate(template, perJob, errors, "job.");
    if (base == null) {
      SubmissionValidator.throwIfAny(errors);
    }
    inputs.checkUploads(base.descriptor(), uploads, errors);
    SubmissionValidator.throwIfAny(errors);
    List<PreparedJob> prepared = new ArrayList<>();
    for (int i = 0; i < uploads.size(); i += perJob) {
      prepared.add(resolve(base, uploads.subList(i, i + perJob), errors, "job."));
    }
    SubmissionValidator.throwIfAny(errors);
    return insert(prepared, batchId, inTransaction);
  }

  /**
   * How many consecutive uploads make one job of a batch: one, unless the template's type takes a
   * fixed number of inputs for its params (a depth model takes an image and its depth map).
   */
  private int filesPerJob(SubmitRequest template, int files, List<FieldError> errors) {
    JobTypeDescriptor descriptor = validator.findDescriptor(template).orElse(null);
    if (descriptor == null) {
      return 1;
    }
    var range = descriptor.inputs().rangeFor(validator.params(descriptor, template).normalized());
    int perJob = range.min() == range.max() && range.min() > 1 ? range.min() : 1;
    if (files % perJob != 0) {
      errors.add(
          new FieldError(
              "files",
              "FILE_COUNT",
              "each "
                  + descriptor.name()
                  + " job of this batch takes "
                  + perJob
                  + " consecutive files; got "
                  + files
                  + ", not a multiple of "
                  + perJob));
    }
    return perJob;
  }

  private PreparedJob prepare(
      SubmitRequest request, List<FileUpload> uploads, List<FieldError> errors, String prefix)
      throws Exception {
    Validated validated = validate(request, uploads.size(), errors, prefix);
    if (validated == null) {
      SubmissionValidator.throwIfAny(errors);
    }
    inputs.checkUploads(validated.descriptor(), uploads, errors);
    SubmissionValidator.throwIfAny(errors);
    PreparedJob job = resolve(validated, uploads, errors, prefix);
    SubmissionValidator.throwIfAny(errors);
    return job;
  }

  private record Validated(
      JobTypeDescriptor descriptor,
      ParamValidator.Result params,
      List<InputRef> refs,
      ExecutionPolicy policy,
      SubmitRequest request) {}

  /**
   * Checks one request; returns null (with the problems added to {@code errors}) when there is
   * nothing further to check. A single submission with an unknown type answers {@code
   * UNKNOWN_JOB_TYPE} at once; inside a batch it is a field error at the job's position.
   */
  private Validated validate(
      SubmitRequest request, int uploads, List<FieldError> errors, String prefix) {
    if (request == null) {
      errors.add(new FieldError(prefix.replaceAll("\\.$", ""), "REQUIRED", "job is missing"));
      return null;
    }
    JobTypeDescriptor descriptor;
    if (prefix.isEmpty()) {
      descriptor = validator.descriptor(request);
    } else {
      descriptor = validator.findDescriptor(request).orElse(null);
      if (descriptor == null) {
        errors.add(validator.unknownType(prefix + "type", request.type()));
        return null;
      }
    }
    ParamValidator.Result params = validator.params(descriptor, request);
    params.errors().stream()
        .map(e -> new FieldError(prefix + e.field(), e.code(), e.message()))
        .forEach(errors::add);
    List<InputRef> refs =
        validator.check(descriptor, params.normalized(), request, uploads, errors, prefix);
    ExecutionPolicy policy =
        Policies.resolve(
            descriptor.policy(), request.retry(), request.timeoutSeconds(), errors, prefix);
    return new Validated(descriptor, params, refs, policy, request);
  }

  private PreparedJob resolve(
      Validated v, List<FileUpload> uploads, List<FieldError> errors, String prefix)
      throws Exception {
    UUID id = Ids.newId();
    List<InputRef> all =
        new ArrayList<>(inputs.resolveObjects(v.refs(), errors, prefix, caller.get()));
    Set<String> taken = new HashSet<>();
    all.forEach(ref -> taken.add(ref.name()));
    if (errors.isEmpty()) {
      all.addAll(inputs.storeUploads(id, uploads, taken));
    }
    return new PreparedJob(
        id, v.descriptor(), v.params().normalized(), all, v.request().notifyUrl(), v.policy());
  }

  private List<Job> insert(
      List<PreparedJob> prepared, UUID batchId, Consumer<List<Job>> inTransaction) {
    List<Job> jobs;
    try {
      jobs = submitter.insert(caller.tenantId(), prepared, batchId, inTransaction);
    } catch (RuntimeException e) {
      removeUploads(prepared);
      throw e;
    }
    for (Job job : jobs) {
      metrics.submitted(job.type, job.tenantId);
    }
    return jobs;
  }

  /** why: a submission that did not commit leaves no job to own its uploaded inputs. */
  private void removeUploads(List<PreparedJob> prepared) {
    for (PreparedJob job : prepared) {
      String prefix = "inputs/" + job.id() + "/";
      if (job.inputs().stream()
          .anyMatch(i -> i.objectKey() != null && i.objectKey().startsWith(prefix))) {
        try {
          inputs.removeUploads(prefix);
        } catch (Exception e) {
          LOG.warnf("cannot remove the uploads of uncommitted job %s: %s", job.id(), e.toString());
        }
      }
    }
  }
}
