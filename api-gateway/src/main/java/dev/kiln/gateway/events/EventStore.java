package dev.kiln.gateway.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.gateway.artifacts.ArtifactKeys;
import dev.kiln.gateway.artifacts.JobArtifact;
import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.jobs.JobControl;
import dev.kiln.gateway.jobs.JobProjection;
import dev.kiln.gateway.jobs.JobStatus;
import dev.kiln.gateway.jobs.JobsEnded;
import dev.kiln.gateway.sql.ArrayParams;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.events.EventPayload.ArtifactCreated;
import dev.kiln.model.events.JobEvent;
import dev.kiln.model.json.KilnJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Writes a batch of events in one transaction: each event once, each job updated through {@link
 * JobProjection}. Only one gateway replica writes at a time (the event queue has a single active
 * consumer), so stored ids grow in commit order.
 *
 * <p>Each attempt ends once: of the events that end an attempt (a terminal event, or {@code
 * job.retrying}) only the one that decided it is stored. A second one (a duplicated job message
 * that ran twice, a worker that finished after the watchdog gave up on it) is neither stored nor
 * relayed. The gateway's own such events decided the attempt when they were recorded (see {@link
 * JobControl#record}) and are always stored, even if a worker's arrives first.
 */
@ApplicationScoped
public class EventStore {

  private static final Logger LOG = Logger.getLogger(EventStore.class);

  private static final String EXISTING =
      "select event_id, id from job_events where event_id = any(?)";
  private static final String ENDED =
      "select distinct job_id, attempt from job_events where job_id = any(?) and type in"
          + " ('job.succeeded', 'job.failed', 'job.cancelled', 'job.retrying')";
  private static final String INSERT =
      "insert into job_events (event_id, job_id, attempt, seq, type, payload, occurred_at, source,"
          + " job_status, job_attempt, job_progress, job_stage, batch_id, run) select * from"
          + " unnest(?::uuid[], ?::uuid[], ?::int[], ?::bigint[], ?::text[], ?::text[]::jsonb[],"
          + " ?::timestamptz[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::uuid[],"
          + " ?::uuid[]) on conflict (event_id) do nothing returning id, event_id";

  @Inject EntityManager em;
  @Inject JobControl control;
  @Inject Event<JobsEnded> jobsEnded;

  /**
   * Result of a batch.
   *
   * @param events what to relay
   * @param finished the jobs that ended (for metrics after commit)
   * @param duplicateEnds events dropped because their attempt had already ended
   * @param afterEnd events dropped because their job had already ended
   * @param orphans objects a worker wrote for a job that had been cancelled, to remove
   */
  public record Written(
      List<StoredEvent> events,
      List<Job> finished,
      int duplicateEnds,
      int afterEnd,
      List<String> orphans) {}

  private record AttemptKey(UUID jobId, int attempt) {}

  /**
   * Stores new events, applies them to their jobs and returns every event of the batch with its
   * stored id, duplicates included: a duplicate may be the redelivery of a batch whose relay was
   * lost, and subscribers drop ids they already have.
   */
  @Transactional
  public Written write(List<JobEvent> batch) {
    Map<UUID, JobEvent> unique = new LinkedHashMap<>();
    batch.forEach(e -> unique.putIfAbsent(e.eventId(), e));
    Session session = em.unwrap(Session.class);

    List<UUID> jobIds = unique.values().stream().map(JobEvent::jobId).distinct().sorted().toList();
    Map<UUID, Job> jobs = new HashMap<>();
    // why: sorted ids take the row locks in one order, so this never deadlocks with cancel/retry
    for (Job job :
        Job.<Job>find("id in ?1 order by id", jobIds)
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .list()) {
      jobs.put(job.id, job);
    }
    // why: read after the row locks, so a replica that was still committing when this one took
    // over has finished, and its events count as existing rather than being applied twice
    Map<UUID, Long> existing = session.doReturningWork(c -> existing(c, unique.keySet()));
    List<UUID> ending =
        unique.values().stream()
            .filter(e -> endsAttempt(e) && !existing.containsKey(e.eventId()))
            .map(JobEvent::jobId)
            .distinct()
            .toList();
    Set<AttemptKey> ended =
        ending.isEmpty() ? new HashSet<>() : session.doReturningWork(c -> ended(c, ending));

    Instant now = Instant.now();
    List<Pending> pending = new ArrayList<>();
    List<Job> finished = new ArrayList<>();
    List<JobsEnded.Ended> ends = new ArrayList<>();
    int duplicateEnds = 0;
    int afterEnd = 0;
    List<String> orphans = new ArrayList<>();
    for (JobEvent event : unique.values()) {
      Job job = jobs.get(event.jobId());
      if (job == null) {
        LOG.warnf("dropping %s for unknown job %s", event.type(), event.jobId());
        continue;
      }
      if (existing.containsKey(event.eventId())) {
        pending.add(new Pending(event, job, snapshot(job), existing.get(event.eventId())));
        continue;
      }
      if (job.status.terminal()
          && !endsAttempt(event)
          && !JobControl.SOURCE.equals(event.source())) {
        // why: streams end at the job's terminal event and a reconnect after it gets 204, so an
        // event stored behind it would reach no client; it comes from a run that should not
        // have happened (a worker that never heard of the cancel, a duplicated message)
        LOG.debugf("dropping %s of job %s: the job already ended", event.type(), job.id);
        afterEnd++;
        if (startedAfterCancel(job, event)) {
          control.broadcastCancel(job, now);
        }
        if (job.status == JobStatus.CANCELLED
            && event.payload() instanceof ArtifactCreated a
            && ArtifactKeys.belongsTo(job.id, a)) {
          orphans.add(a.objectKey());
        }
        continue;
      }
      if (job.status.terminal()
          && JobControl.SOURCE.equals(event.source())
          && event.attempt() < job.attempt) {
        // why: a decision of the gateway about an older attempt, already applied to the job row,
        // whose event was overtaken by the later attempt's end (its outbox row published late);
        // stored behind the terminal event it would break the stream that ended there
        LOG.infof("dropping late %s of job %s attempt %d", event.type(), job.id, event.attempt());
        afterEnd++;
        continue;
      }
      AttemptKey attempt = new AttemptKey(event.jobId(), event.attempt());
      if (endsAttempt(event) && ended.contains(attempt)) {
        LOG.debugf("dropping %s of job %s: its attempt already ended", event.type(), job.id);
        duplicateEnds++;
        continue;
      }
      JobProjection.Outcome outcome = JobProjection.apply(job, event, now);
      if (endsAttempt(event)
          && !outcome.endedAttempt()
          && !JobControl.SOURCE.equals(event.source())) {
        // why: the job refused to end by it, so something else ended this attempt first: the
        // gateway (its event is on its way), or another run of the attempt
        LOG.debugf("dropping %s of job %s: its attempt already ended", event.type(), job.id);
        duplicateEnds++;
        continue;
      }
      if (endsAttempt(event)) {
        ended.add(attempt);
      }
      if (startedAfterCancel(job, event)) {
        // why: a worker that came up after the cancel broadcast (or took over a redelivered run)
        // never heard it; say it again so the worker stops at its next progress check.
        control.broadcastCancel(job, now);
      }
      if (outcome.artifact() != null) {
        recordArtifact(job, outcome.artifact(), event.occurredAt());
      }
      if (outcome.finished() == JobStatus.CANCELLED || outcome.rescheduled()) {
        // why: the worker removed a cancelled job's partial artifacts; so do their rows. An
        // attempt that runs again starts without artifacts, as after a client's retry.
        JobArtifact.delete("jobId", job.id);
      }
      if (outcome.finished() != null) {
        finished.add(job);
        ends.add(new JobsEnded.Ended(job, event));
      }
      pending.add(new Pending(event, job, snapshot(job), null));
      if (outcome.rescheduled() && job.cancelRequested && job.status == JobStatus.QUEUED) {
        // why: the client cancelled the attempt that just failed; the next one must not run.
        // A queued job has no worker to report its end, so the gateway ends it now.
        control.cancelQueued(job, now);
        finished.add(job);
      }
    }
    Map<UUID, Long> inserted = session.doReturningWork(c -> insert(c, pending));
    if (!ends.isEmpty()) {
      // why: one notification per batch, in this transaction, so observers write in bulk and
      // their rows commit exactly when the terminal states do
      jobsEnded.fire(new JobsEnded(ends));
    }
    List<StoredEvent> stored = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      Long id = p.existingId() != null ? p.existingId() : inserted.get(p.event().eventId());
      if (id != null) {
        stored.add(toStored(id, p));
      }
    }
    return new Written(stored, finished, duplicateEnds, afterEnd, orphans);
  }

  /** Events after which their attempt emits nothing more: terminal ones and job.retrying. */
  static boolean endsAttempt(JobEvent event) {
    return event.isTerminal() || event.payload() instanceof EventPayload.JobRetrying;
  }

  /** A run began (again) although the client asked to cancel this attempt. */
  private static boolean startedAfterCancel(Job job, JobEvent event) {
    return event.payload() instanceof EventPayload.JobStarted
        && job.cancelRequested
        && event.attempt() == job.attempt;
  }

  private record Pending(
      JobEvent event, Job job, StoredEvent.JobSnapshot snapshot, Long existingId) {}

  private static StoredEvent.JobSnapshot snapshot(Job job) {
    return new StoredEvent.JobSnapshot(job.status, job.attempt, job.progress, job.currentStage);
  }

  private void recordArtifact(Job job, ArtifactCreated a, Instant at) {
    if (!ArtifactKeys.belongsTo(job.id, a)) {
      // why: download URLs are signed for whatever key is stored; only the job's own prefix may
      // ever be handed out
      LOG.warnf(
          "ignoring artifact %s of job %s with foreign key %s", a.name(), job.id, a.objectKey());
      return;
    }
    JobArtifact artifact = em.find(JobArtifact.class, new JobArtifact.Key(job.id, a.name()));
    boolean isNew = artifact == null;
    if (isNew) {
      artifact = new JobArtifact();
      artifact.jobId = job.id;
      artifact.name = a.name();
    }
    artifact.objectKey = a.objectKey();
    artifact.size = a.size();
    artifact.contentType = a.contentType();
    artifact.sha256 = a.sha256();
    artifact.createdAt = at;
    if (isNew) {
      em.persist(artifact);
    }
  }

  private static StoredEvent toStored(long id, Pending p) {
    JobEvent e = p.event();
    JsonNode payload = KilnJson.mapper().valueToTree(e.payload());
    return new StoredEvent(
        id,
        e.jobId(),
        p.job().type,
        p.job().batchId,
        e.attempt(),
        e.seq(),
        e.type(),
        e.occurredAt(),
        e.source(),
        e.run(),
        payload,
        p.snapshot(),
        p.job().tenantId);
  }

  private static Set<AttemptKey> ended(Connection c, List<UUID> jobIds) throws SQLException {
    Set<AttemptKey> found = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(ENDED)) {
      ps.setArray(1, c.createArrayOf("uuid", jobIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(new AttemptKey(rs.getObject(1, UUID.class), rs.getInt(2)));
        }
      }
    }
    return found;
  }

  private static Map<UUID, Long> existing(Connection c, java.util.Set<UUID> eventIds)
      throws SQLException {
    Map<UUID, Long> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(EXISTING)) {
      ps.setArray(1, c.createArrayOf("uuid", eventIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getObject(1, UUID.class), rs.getLong(2));
        }
      }
    }
    return found;
  }

  private static Map<UUID, Long> insert(Connection c, List<Pending> pending) throws SQLException {
    List<Pending> fresh = pending.stream().filter(p -> p.existingId() == null).toList();
    Map<UUID, Long> ids = new HashMap<>();
    if (fresh.isEmpty()) {
      return ids;
    }
    int n = fresh.size();
    Object[] eventIds = new Object[n], jobIds = new Object[n], attempts = new Object[n];
    Object[] seqs = new Object[n], types = new Object[n], payloads = new Object[n];
    Object[] occurred = new Object[n], sources = new Object[n], statuses = new Object[n];
    Object[] jobAttempts = new Object[n], progress = new Object[n], stages = new Object[n];
    Object[] batches = new Object[n], runs = new Object[n];
    try {
      for (int i = 0; i < n; i++) {
        Pending p = fresh.get(i);
        JobEvent e = p.event();
        eventIds[i] = e.eventId();
        jobIds[i] = e.jobId();
        attempts[i] = e.attempt();
        seqs[i] = e.seq();
        types[i] = e.type();
        payloads[i] = KilnJson.mapper().writeValueAsString(e.payload());
        occurred[i] = Timestamp.from(e.occurredAt());
        sources[i] = e.source();
        statuses[i] = p.snapshot().status().wire();
        jobAttempts[i] = p.snapshot().attempt();
        progress[i] = p.snapshot().progress();
        stages[i] = p.snapshot().currentStage();
        batches[i] = p.job().batchId;
        runs[i] = e.run();
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ArrayParams.of(c, ps)
          .add("uuid", eventIds)
          .add("uuid", jobIds)
          .add("int4", attempts)
          .add("int8", seqs)
          .add("text", types)
          .add("text", payloads)
          .add("timestamptz", occurred)
          .add("text", sources)
          .add("text", statuses)
          .add("int4", jobAttempts)
          .add("int4", progress)
          .add("text", stages)
          .add("uuid", batches)
          .add("uuid", runs);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getObject(2, UUID.class), rs.getLong(1));
        }
      }
    }
    return ids;
  }
}
