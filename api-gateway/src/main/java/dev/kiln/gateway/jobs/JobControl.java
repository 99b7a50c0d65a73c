package dev.kiln.gateway.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.gateway.artifacts.JobArtifact;
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
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Cancel and retry. Both lock the job row, ask {@link JobStateMachine} and announce the change
 * through the outbox, so the change and its announcement commit together.
 */
@ApplicationScoped
public class JobControl {

  /** Events the gateway records itself carry this source and sequence number 0. */
  public static final String SOURCE = "gateway";

  @Inject Outbox outbox;

  @Transactional
  public Job cancel(UUID id) {
    Job job = lock(id);
    Instant now = Instant.now();
    if (job.status.terminal()) {
      throw ProblemException.conflict("job is already " + job.status.wire());
    }
    if (job.cancelRequested) {
      return job;
    }
    job.cancelRequested = true;
    job.updatedAt = now;
    if (job.status == JobStatus.QUEUED) {
      // why: a queued job has no worker to report its end, so the gateway ends it now; the
      // cancel broadcast still goes out for a worker that may already hold the message.
      job.moveTo(JobStatus.CANCELLED, now);
      job.finishedAt = now;
      announce(job, new EventPayload.JobCancelled("requested", null), now);
    }
    outbox.enqueue(
        Topology.CONTROL_EXCHANGE,
        "",
        UUID.randomUUID(),
        new CancelCommand(CancelCommand.VERSION, job.id, job.attempt, now));
    return job;
  }

  @Transactional
  public Job retry(UUID id) {
    Job job = lock(id);
    Instant now = Instant.now();
    if (!JobStateMachine.allows(job.status, JobStatus.QUEUED)) {
      throw ProblemException.conflict(
          "only failed or cancelled jobs can be retried; this one is " + job.status.wire());
    }
    job.moveTo(JobStatus.QUEUED, now);
    job.attempt++;
    job.clearError();
    job.cancelRequested = false;
    job.progress = 0;
    job.currentStage = null;
    job.startedAt = null;
    job.finishedAt = null;
    job.stages(job.stages().stream().map(s -> new StageState(s.name)).toList());
    JobArtifact.delete("jobId", job.id);
    announce(job, new EventPayload.JobQueued("retry"), now);
    outbox.enqueue(Topology.JOBS_EXCHANGE, job.type, UUID.randomUUID(), message(job, now));
    return job;
  }

  private void announce(Job job, EventPayload payload, Instant now) {
    JobEvent event =
        new JobEvent(
            JobEvent.VERSION, UUID.randomUUID(), job.id, job.attempt, 0, now, SOURCE, payload);
    outbox.enqueue(Topology.EVENTS_EXCHANGE, event.type(), event.eventId(), event);
  }

  private static JobMessage message(Job job, Instant now) {
    try {
      ObjectNode params = (ObjectNode) KilnJson.mapper().readTree(job.params);
      List<InputRef> inputs =
          KilnJson.mapper().readValue(job.inputs, new TypeReference<List<InputRef>>() {});
      return new JobMessage(
          JobMessage.VERSION, job.id, job.type, job.attempt, params, inputs, job.batchId, now);
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
