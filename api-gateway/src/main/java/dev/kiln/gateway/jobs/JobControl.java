package dev.kiln.gateway.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.artifacts.JobArtifact;
import dev.kiln.gateway.audit.Audit;
import dev.kiln.gateway.auth.Caller;
import dev.kiln.gateway.jobs.JobStateMachine.Move;
import dev.kiln.gateway.outbox.Outbox;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.CancelCommand;
import dev.kiln.model.messages.InputRef;
import dev.kiln.model.messages.JobMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The changes the gateway makes to jobs by itself: cancel and retry for clients, and the events it
 * records for the watchdog and the dead letters. Each locks the job row, asks {@link
 * JobStateMachine} and announces the change through the outbox, so the change and its announcement
 * commit together.
 */
@ApplicationScoped
public class JobControl {

  /** Events the gateway records itself carry this source and sequence number 0. */
  public static final String SOURCE = "gateway";

  @Inject Outbox outbox;
  @Inject Audit audit;
  @Inject Event<JobsEnded> jobsEnded;

  /** A client's cancel: only of its tenant's jobs (others are not found), and audited. */
  @Transactional
  public Job cancel(UUID id, Caller caller) {
    Job job = lock(id);
    caller.requireVisible(job.tenantId, ProblemException.notFound("JOB_NOT_FOUND", "Job", id));
    Instant now = Instant.now();
    if (job.status.terminal()) {
      throw ProblemException.conflict("job is already " + job.status.wire());
    }
    if (job.cancelRequested) {
      return job;
    }
    audit.record(
        caller, "job.cancelled", id.toString(), job.tenantId, Map.of("status", job.status.wire()));
    job.cancelRequested = true;
    job.updatedAt = now;
    if (job.status == JobStatus.QUEUED) {
      // why: a queued job has no worker to report its end, so the gateway ends it now; the
      // cancel broadcast still goes out for a worker that may already hold the message.
      cancelQueued(job, now);
    } else {
      broadcastCancel(job, now);
    }
    return job;
  }

  /**
   * Ends a queued job that has a cancel request, and tells every worker to drop its message (one
   * may already hold it, or take it from a delay queue later).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void cancelQueued(Job job, Instant now) {
    record(job, new EventPayload.JobCancelled("requested", null), now);
    broadcastCancel(job, now);
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void broadcastCancel(Job job, Instant now) {
    outbox.enqueue(
        Topology.CONTROL_EXCHANGE,
        "",
        UUID.randomUUID(),
        new CancelCommand(CancelCommand.VERSION, job.id, job.attempt, now));
  }

  /** A client's retry: only of its tenant's jobs (others are not found), and audited. */
  @Transactional
  public Job retry(UUID id, Caller caller) {
    Job job = lock(id);
    caller.requireVisible(job.tenantId, ProblemException.notFound("JOB_NOT_FOUND", "Job", id));
    Job retried = retry(id, "retry");
    audit.record(
        caller, "job.retried", id.toString(), job.tenantId, Map.of("attempt", retried.attempt));
    return retried;
  }

  /**
   * Runs a failed or cancelled job again as a new attempt under the same id.
   *
   * @param reason why, recorded in the {@code job.queued} event ({@code retry}, {@code requeue})
   */
  @Transactional
  public Job retry(UUID id, String reason) {
    Job job = lock(id);
    Instant now = Instant.now();
    if (!job.make(Move.RETRY, now)) {
      throw ProblemException.conflict(
          "only failed or cancelled jobs can be retried; this one is " + job.status.wire());
    }
    job.beginAttempt(job.attempt + 1, now);
    job.cancelRequested = false;
    JobArtifact.delete("jobId", job.id);
    record(job, new EventPayload.JobQueued(reason), now);
    publishAttempt(job);
    return job;
  }

  /**
   * Records an event the gateway decided itself: applies it to the job through {@link
   * JobProjection}, exactly as the event store will find it, and publishes it through the outbox.
   * Its attempt is the job's attempt before the event.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public JobProjection.Outcome record(Job job, EventPayload payload, Instant now) {
    JobEvent event =
        new JobEvent(
            JobEvent.VERSION, UUID.randomUUID(), job.id, job.attempt, 0, now, SOURCE, payload);
    JobProjection.Outcome outcome = JobProjection.apply(job, event, now);
    if (outcome.finished() == JobStatus.CANCELLED || outcome.rescheduled()) {
      // why: the artifacts of a cancelled job, or of an attempt that will run again, are not
      // the job's result
      JobArtifact.delete("jobId", job.id);
    }
    outbox.enqueue(Topology.EVENTS_EXCHANGE, event.type(), event.eventId(), event);
    if (outcome.finished() != null) {
      // why: synchronous, so what observers record (webhooks) commits with the terminal state
      jobsEnded.fire(new JobsEnded(List.of(new JobsEnded.Ended(job, event))));
    }
    return outcome;
  }

  /**
   * Publishes the job's current attempt to its work queue. Enqueued after any event announcing it,
   * so the announcement is stored before a worker can report on the attempt.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void publishAttempt(Job job) {
    outbox.enqueue(Topology.JOBS_EXCHANGE, job.type, UUID.randomUUID(), message(job));
  }

  /** The work order of the job's current attempt. */
  public static JobMessage message(Job job) {
    try {
      ObjectNode params = (ObjectNode) KilnJson.mapper().readTree(job.params);
      List<InputRef> inputs =
          KilnJson.mapper().readValue(job.inputs, new TypeReference<List<InputRef>>() {});
      return new JobMessage(
          JobMessage.VERSION,
          job.id,
          job.type,
          job.attempt,
          params,
          inputs,
          job.batchId,
          job.createdAt,
          job.policy());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("stored job JSON is unreadable", e);
    }
  }

  private static Job lock(UUID id) {
    Job job = Job.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (job == null) {
      throw ProblemException.notFound("JOB_NOT_FOUND", "Job", id);
    }
    return job;
  }
}
