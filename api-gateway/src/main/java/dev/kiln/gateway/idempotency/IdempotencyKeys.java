package dev.kiln.gateway.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.gateway.auth.CurrentCaller;
import dev.kiln.gateway.problems.ProblemException;
import dev.kiln.model.jobtypes.FieldError;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * {@code Idempotency-Key} for submissions. The first response to a key is stored in the
 * submission's own transaction, so a key is taken if and only if its jobs exist; a concurrent
 * duplicate finds the key taken when it tries to store its own, rolls back, and answers with the
 * first response instead. For 24 h the same key with the same request answers with the original
 * response and {@code Idempotent-Replayed: true}; with another request it is refused with 422.
 */
@ApplicationScoped
public class IdempotencyKeys {

  private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED = "Idempotent-Replayed";
  public static final int MAX_LENGTH = 255;

  private static final String FIND =
      "select request_hash, status, body::text, location from idempotency_keys where key = ? and"
          + " created_at > ?";

  // why: a row past its time is replaced; a live one makes the statement update nothing, and
  // then this request lost the race for the key
  private static final String CLAIM =
      "insert into idempotency_keys (key, request_hash, status, body, location, created_at)"
          + " values (?, ?, ?, ?::jsonb, ?, ?) on conflict (key) do update set"
          + " request_hash = excluded.request_hash, status = excluded.status, body = excluded.body,"
          + " location = excluded.location, created_at = excluded.created_at"
          + " where idempotency_keys.created_at <= ?";

  @Inject EntityManager em;
  @Inject AgroalDataSource dataSource;
  @Inject ObjectMapper json;
  @Inject IdempotencyConfig config;
  @Inject CurrentCaller caller;

  /** A key and the request it is being used for. */
  public record Claim(String key, String requestHash) {}

  /** The stored first response to a key. */
  private record Stored(String requestHash, int status, String body, String location) {}

  /** Thrown in a submission's transaction when another request holds the key. */
  public static final class KeyTaken extends RuntimeException {
    KeyTaken() {
      super("idempotency key taken", null, false, false);
    }
  }

  /**
   * Answers a submission with an Idempotency-Key: the stored response when the key was already used
   * for this request, or else the response of {@code submit}, which must store it with {@link
   * #record} in its transaction.
   *
   * @param key the header value, or null (then {@code submit} simply runs)
   * @param requestHash what identifies the request, see {@link RequestHash}
   * @param submit runs the submission, given the claim to record (null without a key)
   */
  public Response handle(String key, Supplier<String> requestHash, Submission submit)
      throws Exception {
    if (key == null) {
      return submit.run(null);
    }
    check(key);
    // why: keys are chosen by clients, so two tenants may pick the same one; each tenant has its
    // own key space, and one tenant can never be answered with another's job ids
    Claim claim = new Claim(caller.tenantId() + ":" + key, requestHash.get());
    Optional<Response> replay = replay(claim);
    if (replay.isPresent()) {
      return replay.get();
    }
    try {
      return submit.run(claim);
    } catch (KeyTaken e) {
      // a concurrent request with this key committed first; answer as it did
      return replay(claim)
          .orElseThrow(() -> new IllegalStateException("idempotency key taken but not found"));
    }
  }

  /** A submission that records its response under a claim. */
  public interface Submission {
    Response run(Claim claim) throws Exception;
  }

  /**
   * Stores {@code response} as the answer to {@code claim}, in the caller's transaction; throws
   * {@link KeyTaken} (rolling the transaction back) when a live row holds the key.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void record(Claim claim, Response response) {
    String body;
    try {
      body = json.writeValueAsString(response.getEntity());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    URI location = response.getLocation();
    Instant now = Instant.now();
    int rows =
        em.unwrap(Session.class)
            .doReturningWork(
                c -> {
                  try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                    ps.setString(1, claim.key());
                    ps.setString(2, claim.requestHash());
                    ps.setInt(3, response.getStatus());
                    ps.setString(4, body);
                    ps.setString(5, location == null ? null : location.toString());
                    ps.setTimestamp(6, Timestamp.from(now));
                    ps.setTimestamp(7, Timestamp.from(now.minus(config.ttl())));
                    return ps.executeUpdate();
                  }
                });
    if (rows == 0) {
      throw new KeyTaken();
    }
  }

  private Optional<Response> replay(Claim claim) {
    Optional<Stored> stored = find(claim.key());
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Stored s = stored.get();
    if (!s.requestHash().equals(claim.requestHash())) {
      throw new ProblemException(
          422,
          "IDEMPOTENCY_KEY_REUSED",
          "Idempotency key reused",
          "this Idempotency-Key was used for a different request in the last "
              + config.ttl().toHours()
              + " h; send a new key for a new request");
    }
    Response.ResponseBuilder response =
        Response.status(s.status())
            .type(MediaType.APPLICATION_JSON_TYPE)
            .entity(s.body())
            .header(REPLAYED, "true");
    if (s.location() != null) {
      response.location(URI.create(s.location()));
    }
    return Optional.of(response.build());
  }

  private Optional<Stored> find(String key) {
    Instant live = Instant.now().minus(config.ttl());
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(FIND)) {
      ps.setString(1, key);
      ps.setTimestamp(2, Timestamp.from(live));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                new Stored(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read idempotency key", e);
    }
  }

  private static void check(String key) {
    if (key.isEmpty() || key.length() > MAX_LENGTH) {
      throw ProblemException.validation(
          HEADER + " must be 1 to " + MAX_LENGTH + " characters",
          List.of(
              new FieldError(
                  HEADER, "OUT_OF_RANGE", "must be 1 to " + MAX_LENGTH + " characters long")));
    }
    // why: keys are stored and compared as text; a NUL cannot be stored, and controls or
    // non-ASCII make equal-looking keys differ (draft-ietf-httpapi-idempotency-key: a string of
    // printable ASCII)
    if (!key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw ProblemException.validation(
          HEADER + " must be printable ASCII",
          List.of(new FieldError(HEADER, "INVALID_CHARACTERS", "printable ASCII only")));
    }
  }

  /** Deletes keys past their time; any replica may run it, they do not conflict. */
  @Scheduled(
      every = "${kiln.idempotency.sweep-interval:1H}",
      delayed = "1M",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweepScheduled() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warnf("sweeping expired idempotency keys failed: %s", e.toString());
    }
  }

  /** Deletes the keys past their time; returns how many. */
  @Transactional
  public int sweep() {
    return em.createNativeQuery("delete from idempotency_keys where created_at <= :expired")
        .setParameter("expired", Instant.now().minus(config.ttl()))
        .executeUpdate();
  }
}
