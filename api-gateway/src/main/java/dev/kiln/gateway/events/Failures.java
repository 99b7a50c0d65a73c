package dev.kiln.gateway.events;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeoutException;

/** Tells an outage (worth retrying as is) from a refusal of the data itself (never worth it). */
final class Failures {

  private Failures() {}

  static boolean isTransient(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        // 08: connection, 40: serialization/deadlock, 53: resources, 57: operator intervention
        if (sql instanceof SQLTransientException
            || (state != null
                && (state.startsWith("08")
                    || state.startsWith("40")
                    || state.startsWith("53")
                    || state.startsWith("57")))) {
          return true;
        }
      }
      if (t instanceof IOException
          || t instanceof TimeoutException
          || t instanceof com.rabbitmq.client.ShutdownSignalException
          || dev.kiln.gateway.problems.Outages.isAcquisitionTimeout(t)) {
        return true;
      }
    }
    return false;
  }
}
