package dev.kiln.gateway.jobs;

import dev.kiln.gateway.batches.Batch;
import dev.kiln.gateway.outbox.Outbox;
import dev.kiln.gateway.quota.ActiveJobQuota;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.JobMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.hibernate.Session;

/**
 * Inserts prepared jobs and their work messages in one transaction: either every job of a request
 * is queued and will be published, or none is.
 */
@ApplicationScoped
public class JobSubmitter {

  @Inject Outbox outbox;
  @Inject EntityManager em;
  @Inject ActiveJobQuota quota;

  /**
   * @param inTransaction runs after the inserts, in the same transaction (e.g. recording an
   *     idempotency key); what it throws rolls everything back
   */
  @Transactional
  public List<Job> insert(
      String tenantId,
      List<PreparedJob> prepared,
      UUID batchId,
      Consumer<List<Job>> inTransaction) {
    quota.check(tenantId, prepared.size());
    Instant now = Instant.now();
    if (batchId != null) {
      Batch batch = new Batch();
      batch.id = batchId;
      batch.tenantId = tenantId;
      batch.jobCount = prepared.size();
      batch.createdAt = now;
      batch.persist();
    }
    List<Job> jobs = new ArrayList<>(prepared.size());
    List<Outbox.Pending> messages = new ArrayList<>(prepared.size());
    for (PreparedJob p : prepared) {
      Job job = newJob(p, batchId, now);
      job.tenantId = tenantId;
      JobMessage message =
          new JobMessage(
              JobMessage.VERSION,
              job.id,
              job.type,
              job.attempt,
              p.params(),
              p.inputs(),
              batchId,
              now,
              p.policy());
      messages.add(
          new Outbox.Pending(Topology.JOBS_EXCHANGE, job.type, UUID.randomUUID(), message));
      jobs.add(job);
    }
    Session session = em.unwrap(Session.class);
    // why: the batch row (persisted above) must be in the table before the jobs that refer to it
    session.flush();
    session.doWork(c -> JobRows.insert(c, jobs));
    outbox.enqueueAll(messages);
    inTransaction.accept(jobs);
    return jobs;
  }

  private static Job newJob(PreparedJob p, UUID batchId, Instant now) {
    Job job = new Job();
    job.id = p.id();
    job.type = p.descriptor().name();
    job.status = JobStatus.QUEUED;
    job.attempt = 1;
    job.batchId = batchId;
    job.notifyUrl = p.notifyUrl();
    try {
      job.params = KilnJson.mapper().writeValueAsString(p.params());
      job.inputs = KilnJson.mapper().writeValueAsString(p.inputs());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    job.policy(p.policy());
    job.stages(p.descriptor().stages().stream().map(StageState::new).toList());
    job.createdAt = now;
    job.updatedAt = now;
    return job;
  }
}
