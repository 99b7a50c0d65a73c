package dev.kiln.gateway.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.artifacts.ArtifactView;
import dev.kiln.gateway.artifacts.JobArtifact;
import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.jobs.JobView;
import dev.kiln.gateway.jobs.JobsEnded;
import dev.kiln.gateway.sql.ArrayParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.Session;

/**
 * Turns terminal outcomes into webhook deliveries, in the transaction that records them: a job's
 * end and the promise to announce it commit together or not at all. The body is rendered here,
 * once, so every attempt sends (and signs) the very same bytes, the job's state as it ended.
 */
@ApplicationScoped
public class WebhookOutbox {

  private static final String INSERT =
      "insert into webhook_deliveries (id, job_id, event_type, url, body, status, created_at,"
          + " next_attempt_at, updated_at) select d.id, d.job_id, d.event_type, d.url, d.body,"
          + " 'pending', d.at, d.at, d.at from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[],"
          + " ?::text[], ?::timestamptz[]) as d(id, job_id, event_type, url, body, at)"
          + " on conflict (id) do nothing";

  /**
   * The body of every webhook (Standard Webhooks payload structure).
   *
   * @param type the terminal event: job.succeeded, job.failed or job.cancelled
   * @param timestamp when the job ended (not when the webhook is sent)
   * @param data the job as {@code GET /api/v1/jobs/{id}} shows it after it ended
   */
  public record Payload(String type, Instant timestamp, JobView data) {}

  @Inject EntityManager em;
  @Inject ObjectMapper json;
  @Inject WebhookTargets targets;

  void onJobsEnded(@Observes JobsEnded ended) {
    List<JobsEnded.Ended> notified = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (JobsEnded.Ended e : ended.ended()) {
      // why: the job's own URL wins over its tenant's default
      String url =
          e.job().notifyUrl != null ? e.job().notifyUrl : targets.defaultNotifyUrl(e.job().id);
      if (url != null) {
        notified.add(e);
        urls.add(url);
      }
    }
    if (notified.isEmpty()) {
      return;
    }
    Map<UUID, List<ArtifactView>> artifacts = artifacts(notified);
    Instant now = Instant.now();
    int n = notified.size();
    Object[] ids = new Object[n], jobIds = new Object[n], types = new Object[n];
    Object[] bodies = new Object[n], at = new Object[n];
    for (int i = 0; i < n; i++) {
      Job job = notified.get(i).job();
      var event = notified.get(i).event();
      ids[i] = event.eventId();
      jobIds[i] = job.id;
      types[i] = event.type();
      bodies[i] =
          body(
              new Payload(
                  event.type(),
                  event.occurredAt(),
                  JobView.of(job, artifacts.getOrDefault(job.id, List.of()))));
      at[i] = Timestamp.from(now);
    }
    // why: one statement for the whole batch of the event store, in its transaction
    em.unwrap(Session.class)
        .doWork(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ArrayParams.of(c, ps)
                    .add("uuid", ids)
                    .add("uuid", jobIds)
                    .add("text", types)
                    .add("text", urls.toArray())
                    .add("text", bodies)
                    .add("timestamptz", at);
                ps.executeUpdate();
              }
            });
  }

  private static Map<UUID, List<ArtifactView>> artifacts(List<JobsEnded.Ended> ended) {
    List<UUID> ids = ended.stream().map(e -> e.job().id).toList();
    List<JobArtifact> rows = JobArtifact.list("jobId in ?1 order by name", ids);
    return rows.stream()
        .collect(
            Collectors.groupingBy(
                a -> a.jobId, Collectors.mapping(ArtifactView::of, Collectors.toList())));
  }

  private String body(Payload payload) {
    try {
      return json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render a webhook body", e);
    }
  }
}
