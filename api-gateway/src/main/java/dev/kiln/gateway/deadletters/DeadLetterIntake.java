package dev.kiln.gateway.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.gateway.jobs.Ids;
import dev.kiln.gateway.jobs.Job;
import dev.kiln.gateway.jobs.JobControl;
import dev.kiln.model.broker.Topology;
import dev.kiln.model.events.EventPayload;
import dev.kiln.model.json.KilnJson;
import dev.kiln.model.messages.JobMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Records one dead-lettered message, and ends its job when nothing else will: a message past the
 * delivery limit killed every worker that took it, so no worker reports the job's end.
 */
@ApplicationScoped
public class DeadLetterIntake {

  private static final Logger LOG = Logger.getLogger(DeadLetterIntake.class);

  public static final String DELIVERY_LIMIT_EXCEEDED = "DELIVERY_LIMIT_EXCEEDED";
  public static final String DEAD_LETTERED = "DEAD_LETTERED";

  private static final String INSERT =
      "insert into dead_letters (id, job_id, job_type, attempt, reason, queue, death_count,"
          + " message, created_at) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)"
          + " on conflict (job_id, attempt) where job_id is not null do nothing";

  @Inject EntityManager em;
  @Inject JobControl control;

  /**
   * @param job the job this dead letter ended, or null
   * @param reason why the message died
   */
  public record Recorded(Job job, String reason) {}

  @Transactional
  public Recorded record(byte[] body, Map<String, Object> headers) {
    DeathHeader death = DeathHeader.of(headers);
    JsonNode json = parse(body);
    JobMessage message = jobMessage(json);
    Instant now = Instant.now();
    em.unwrap(Session.class)
        .doWork(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setObject(1, Ids.newId());
                if (message != null) {
                  ps.setObject(2, message.jobId());
                  ps.setString(3, message.type());
                  ps.setInt(4, message.attempt());
                } else {
                  ps.setNull(2, Types.OTHER);
                  ps.setNull(3, Types.VARCHAR);
                  ps.setNull(4, Types.INTEGER);
                }
                ps.setString(5, death.reason());
                ps.setString(6, death.queue());
                ps.setLong(7, death.count());
                ps.setString(8, json.toString());
                ps.setTimestamp(9, Timestamp.from(now));
                ps.executeUpdate();
              }
            });
    return new Recorded(
        message == null ? null : endIfStranded(message, death, now), death.reason());
  }

  /**
   * A rejected message was given up by a worker that reported the job's end itself; any other death
   * leaves the job without anyone to end it, unless a later attempt already replaced it.
   */
  private Job endIfStranded(JobMessage message, DeathHeader death, Instant now) {
    if (DeathHeader.REJECTED.equals(death.reason())) {
      return null;
    }
    Job job = Job.findById(message.jobId(), LockModeType.PESSIMISTIC_WRITE);
    if (job == null || job.attempt != message.attempt() || job.status.terminal()) {
      return null;
    }
    boolean poison = DeathHeader.DELIVERY_LIMIT.equals(death.reason());
    String detail =
        poison
            ? "the job message was delivered more than "
                + Topology.DELIVERY_LIMIT
                + " times without being settled; the workers that took it stopped or hung"
            : "the job message was dead-lettered (" + death.reason() + ")";
    control.record(
        job,
        new EventPayload.JobFailed(
            poison ? DELIVERY_LIMIT_EXCEEDED : DEAD_LETTERED, detail, false, job.currentStage),
        now);
    LOG.warnf("job %s attempt %d ended failed: %s", job.id, job.attempt, detail);
    return job;
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode json = KilnJson.mapper().readTree(body);
      if (json != null && !json.isMissingNode()) {
        return json;
      }
    } catch (java.io.IOException e) {
      // not JSON: kept as text below
    }
    return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
  }

  private static JobMessage jobMessage(JsonNode json) {
    if (!json.isObject() || !json.hasNonNull("jobId") || !json.hasNonNull("type")) {
      return null;
    }
    try {
      return KilnJson.mapper().treeToValue(json, JobMessage.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return null;
    }
  }
}
