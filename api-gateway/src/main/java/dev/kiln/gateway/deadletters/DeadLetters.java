package dev.kiln.gateway.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.gateway.audit.Audit;
import dev.kiln.gateway.auth.Caller;
import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.jobs.JobControl;
import dev.kiln.gateway.jobs.JobLinks;
import dev.kiln.gateway.jobs.JobStatus;
import dev.kiln.gateway.jobtypes.JobTypes;
import dev.kiln.gateway.paging.KeysetCursor;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.FieldError;
import dev.kiln.model.json.KilnJson;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Listing dead letters newest first, and running one again. */
@ApplicationScoped
public class DeadLetters {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  @Inject EntityManager em;
  @Inject JobControl control;
  @Inject Audit audit;
  @Inject JobTypes jobTypes;

  /**
   * A dead-lettered message.
   *
   * @param jobId its job, or null when the body is not a job message
   * @param attempt the attempt the message was for
   * @param reason why it died: {@code rejected} (its last attempt failed), {@code delivery_limit}
   *     (it kept killing workers), {@code expired}, {@code maxlen}
   * @param queue the queue it died in
   * @param deathCount how many times it died there for that reason
   * @param message the message body (the job message JSON)
   */
  public record DeadLetterView(
      UUID id,
      UUID jobId,
      String jobType,
      Integer attempt,
      String reason,
      String queue,
      long deathCount,
      JsonNode message,
      Instant createdAt,
      Links links) {

    static DeadLetterView of(DeadLetter d) {
      try {
        return new DeadLetterView(
            d.id,
            d.jobId,
            d.jobType,
            d.attempt,
            d.reason,
            d.queue,
            d.deathCount,
            KilnJson.mapper().readTree(d.message),
            d.createdAt,
            new Links(
                d.jobId == null ? null : JobLinks.of(d.jobId).self(),
                "/api/v1/dead-letters/" + d.id + "/requeue"));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("stored dead letter is not JSON", e);
      }
    }
  }

  /**
   * @param job the job the message was for
   * @param requeue POST here to run the job again
   */
  public record Links(String job, String requeue) {}

  /**
   * @param items at most {@code limit} dead letters, newest first
   * @param nextCursor pass as {@code cursor} for the next page; null on the last page
   * @param hasMore whether another page exists
   */
  public record Page(List<DeadLetterView> items, String nextCursor, boolean hasMore) {}

  public Page list(String type, Integer limit, String cursor) {
    List<FieldError> errors = new ArrayList<>();
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
    if (type != null) {
      query.append(" and jobType = :type");
      params.and("type", type);
    }
    if (after != null) {
      query.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
      params.and("at", after.createdAt()).and("id", after.id());
    }
    query.append(" order by createdAt desc, id desc");
    List<DeadLetter> rows =
        DeadLetter.<DeadLetter>find(query.toString(), params).page(0, size + 1).list();
    boolean hasMore = rows.size() > size;
    List<DeadLetter> page = hasMore ? rows.subList(0, size) : rows;
    DeadLetter last = page.isEmpty() ? null : page.get(page.size() - 1);
    String next = hasMore ? new KeysetCursor(last.createdAt, last.id).encode() : null;
    return new Page(page.stream().map(DeadLetterView::of).toList(), next, hasMore);
  }

  /**
   * Runs the dead letter's job again as a new attempt, exactly like a client's retry, and removes
   * the dead letter, in one transaction.
   */
  @Transactional
  public Job requeue(UUID id, Caller actor) {
    DeadLetter letter = em.find(DeadLetter.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (letter == null) {
      throw ProblemException.notFound("DEAD_LETTER_NOT_FOUND", "Dead letter", id);
    }
    if (letter.jobId == null) {
      throw ProblemException.conflict("the dead letter is not a job message; nothing to requeue");
    }
    Job job = Job.findById(letter.jobId);
    if (job == null) {
      throw ProblemException.conflict("the job of this dead letter no longer exists");
    }
    if (job.status != JobStatus.FAILED) {
      throw ProblemException.conflict(
          "only the dead letter of a failed job can be requeued; the job is " + job.status.wire());
    }
    Job requeued = control.retry(job.id, "requeue");
    audit.record(
        actor,
        "deadletter.requeued",
        id.toString(),
        job.tenantId,
        Map.of("job", job.id.toString(), "attempt", requeued.attempt));
    letter.delete();
    return requeued;
  }
}
