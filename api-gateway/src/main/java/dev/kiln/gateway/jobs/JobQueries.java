package dev.kiln.gateway.jobs;

import dev.kiln.gateway.auth.Caller;
import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.paging.KeysetCursor;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.FieldError;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** Newest-first job listing with keyset (cursor) pagination: stable under concurrent inserts. */
@ApplicationScoped
public class JobQueries {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  @Inject JobTypes jobTypes;

  /**
   * @param items at most {@code limit} jobs, newest first
   * @param nextCursor pass as {@code cursor} for the next page; null on the last page
   * @param hasMore whether another page exists
   */
  public record Page(List<JobSummary> items, String nextCursor, boolean hasMore) {}

  /**
   * @param caller non-admins see only their own tenant's jobs
   * @param tenant for admins, one tenant's jobs; null for all
   */
  public Page list(
      Caller caller, String tenant, String status, String type, Integer limit, String cursor) {
    if (tenant != null && !caller.isAdmin() && !tenant.equals(caller.tenantId())) {
      throw new ProblemException(
          403, "INSUFFICIENT_ROLE", "Forbidden", "only admins list other tenants' jobs");
    }
    String tenantFilter = caller.isAdmin() ? tenant : caller.tenantId();
    List<FieldError> errors = new ArrayList<>();
    JobStatus statusFilter = null;
    if (status != null) {
      statusFilter = JobStatus.parse(status).orElse(null);
      if (statusFilter == null) {
        errors.add(
            new FieldError(
                "status",
                "NOT_IN_ENUM",
                "must be one of: queued, running, succeeded, failed, cancelled"));
      }
    }
    if (type != null && !jobTypes.names().contains(type)) {
      errors.add(
          new FieldError(
              "type", "UNKNOWN_JOB_TYPE", "valid types: " + String.join(", ", jobTypes.names())));
    }
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      errors.add(new FieldError("limit", "OUT_OF_RANGE", "must be between 1 and " + MAX_LIMIT));
    }
    KeysetCursor after = null;
    if (cursor != null) {
      after = KeysetCursor.decode(cursor).orElse(null);
      if (after == null) {
        errors.add(
            new FieldError("cursor", "INVALID_CURSOR", "use nextCursor from a previous page"));
      }
    }
    if (!errors.isEmpty()) {
      throw ProblemException.validation("invalid query parameters", errors);
    }

    StringBuilder query = new StringBuilder("1 = 1");
    Parameters params = new Parameters();
    if (tenantFilter != null) {
      query.append(" and tenantId = :tenant");
      params.and("tenant", tenantFilter);
    }
    if (statusFilter != null) {
      query.append(" and status = :status");
      params.and("status", statusFilter);
    }
    if (type != null) {
      query.append(" and type = :type");
      params.and("type", type);
    }
    if (after != null) {
      query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
      params.and("at", after.createdAt()).and("id", after.id());
    }
    query.append(" order by createdAt desc, id desc");
    List<Job> rows = Job.<Job>find(query.toString(), params).page(0, size + 1).list();
    boolean hasMore = rows.size() > size;
    List<Job> page = hasMore ? rows.subList(0, size) : rows;
    Job last = page.isEmpty() ? null : page.get(page.size() - 1);
    String next = hasMore ? new KeysetCursor(last.createdAt, last.id).encode() : null;
    return new Page(page.stream().map(JobSummary::of).toList(), next, hasMore);
  }
}
