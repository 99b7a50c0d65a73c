package dev.kiln.gateway.problems;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * While PostgreSQL (or the object store) is away, requests answer 503 with Retry-After, never 500.
 * The shared database cannot be stopped under the other tests, so the errors an outage raises are
 * built here.
 */
class OutagesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "08001", // connection refused: the server is down
        "08006", // connection failure: it went away mid-query
        "08003", // connection does not exist
        "57P01", // admin shutdown
        "57P02", // crash shutdown
        "57P03", // cannot connect now: starting up or in recovery
        "53300", // too many connections
      })
  void connectionStatesMeanTheJobStoreIsUnavailable(String sqlState) {
    SQLException e = new SQLException("database away", sqlState);
    assertThat(Outages.unavailableDependency(e)).contains(Outages.JOB_STORE);
    // as Hibernate and the transaction manager wrap it
    assertThat(Outages.unavailableDependency(new PersistenceException("tx failed", e)))
        .contains(Outages.JOB_STORE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "23503", "42P01", "22P02", "40001"})
  void otherStatesAreNotOutages(String sqlState) {
    assertThat(Outages.unavailableDependency(new SQLException("bad", sqlState))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sorry, acquisition timeout!",
        "Acquisition timeout while waiting for new connection"
      })
  void aPoolThatWaitedInVainForAConnectionIsAnOutage(String agroalMessage) {
    // Agroal's words when the database does not answer within the acquisition timeout (5 s)
    var timeout = new SQLException(agroalMessage);
    assertThat(Outages.unavailableDependency(new PersistenceException(timeout)))
        .contains(Outages.JOB_STORE);
  }

  @Test
  void aCommitCutOffByADatabaseShutdownIsAnOutage() {
    // as the transaction manager reports it: the driver's error is suppressed, not the cause
    javax.transaction.xa.XAException xa =
        new javax.transaction.xa.XAException("Error trying to transactionCommit local transaction");
    xa.initCause(
        new java.sql.SQLException(
            "FATAL: terminating connection due to administrator command", "57P01"));
    jakarta.transaction.RollbackException rollback =
        new jakarta.transaction.RollbackException("ARJUNA016053: Could not commit transaction.");
    rollback.addSuppressed(xa);
    RuntimeException wrapped = new RuntimeException("Error invoking subclass method", rollback);
    assertThat(Outages.unavailableDependency(wrapped)).contains(Outages.JOB_STORE);
    jakarta.transaction.RollbackException plain =
        new jakarta.transaction.RollbackException("marked rollback-only");
    plain.addSuppressed(new IllegalStateException("a bug"));
    assertThat(Outages.unavailableDependency(new RuntimeException(plain))).isEmpty();
  }

  @Test
  void anUnreachableObjectStoreIsAnOutageAndABugIsNot() {
    assertThat(Outages.unavailableDependency(new RuntimeException(new ConnectException("refused"))))
        .contains(Outages.OBJECT_STORE);
    assertThat(Outages.unavailableDependency(new IllegalStateException("bug"))).isEmpty();
    assertThat(Outages.unavailableDependency(new SQLException("no state"))).isEmpty();
  }

  @Test
  void theAnswerIs503ProblemJsonWithRetryAfter() {
    Response response = Outages.response(Outages.JOB_STORE, "/api/v1/jobs");
    assertThat(response.getStatus()).isEqualTo(503);
    assertThat(response.getMediaType().toString()).isEqualTo("application/problem+json");
    assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
    Problem problem = (Problem) response.getEntity();
    assertThat(problem.code()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(problem.status()).isEqualTo(503);
    assertThat(problem.instance()).isEqualTo("/api/v1/jobs");
    assertThat(problem.detail()).contains("job store");
  }
}
