package dev.kiln.gateway.problems;

import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells a dependency outage from a bug, so that an outage answers 503 with {@code Retry-After}
 * instead of 500: the client did nothing wrong and the same request will work shortly.
 */
public final class Outages {

  /** Seconds a client should wait before trying again. */
  static final String RETRY_AFTER_SECONDS = "5";

  public static final String JOB_STORE = "job store";
  public static final String OBJECT_STORE = "object store";

  private Outages() {}

  /** The dependency an error says is unreachable, if it says so. */
  public static Optional<String> unavailableDependency(Throwable error) {
    return unavailableDependency(error, 0);
  }

  // why suppressed too: when the database goes away during a commit, the transaction manager
  // throws a RollbackException and attaches the driver's error (SQLSTATE 57P01) as a suppressed
  // XAException, not as its cause; the client must still get 503 and retry with its key
  private static Optional<String> unavailableDependency(Throwable error, int depth) {
    if (depth > 4) {
      return Optional.empty();
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      for (Throwable suppressed : t.getSuppressed()) {
        Optional<String> found = unavailableDependency(suppressed, depth + 1);
        if (found.isPresent()) {
          return found;
        }
      }
      if (t instanceof SQLException sql && isOutage(sql.getSQLState())) {
        return Optional.of(JOB_STORE);
      }
      if (isAcquisitionTimeout(t)) {
        // the pool waited in vain for a connection: the database is down or overwhelmed
        return Optional.of(JOB_STORE);
      }
      if (t instanceof java.net.ConnectException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof java.net.UnknownHostException) {
        // the database's are SQLExceptions; the only other network peer of a request is the store
        return Optional.of(OBJECT_STORE);
      }
    }
    return Optional.empty();
  }

  /**
   * The pool waited in vain for a connection. Agroal says so only in the message: "Sorry,
   * acquisition timeout!" or "Acquisition timeout while waiting for new connection".
   */
  public static boolean isAcquisitionTimeout(Throwable t) {
    return t.getClass().getName().contains("AcquisitionTimeout")
        || (t.getMessage() != null
            && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout"));
  }

  /**
   * SQLSTATE classes that mean "the database is not there right now": 08 connection exception, 53
   * insufficient resources (too many connections, out of memory or disk), 57P operator intervention
   * (shutting down, crashed, still starting up).
   */
  static boolean isOutage(String sqlState) {
    return sqlState != null
        && (sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57P"));
  }

  /** The 503 answer for an outage of {@code dependency}. */
  public static Response response(String dependency, String path) {
    Problem problem =
        new ProblemException(
                503,
                "SERVICE_UNAVAILABLE",
                "Temporarily unavailable",
                "the " + dependency + " is unavailable; retry shortly")
            .toProblem(path);
    return Problems.builder(problem).header("Retry-After", RETRY_AFTER_SECONDS).build();
  }
}
