package dev.kiln.gateway.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Outbox ids for rows inserted without Hibernate, drawn the way Hibernate's pooled optimizer draws
 * them for {@link OutboxMessage} (Quarkus's default, pooled-lo): each {@code nextval('outbox_seq')}
 * (the sequence steps by {@link #BLOCK}) reserves the block of ids starting at the value returned.
 * why the same scheme: both kinds of insert share the sequence, and blocks reserved this way never
 * overlap.
 */
final class OutboxIds {

  /** The sequence's increment and {@link OutboxMessage}'s allocation size. */
  static final int BLOCK = 50;

  private static final String NEXT = "select nextval('outbox_seq') from generate_series(1, ?)";

  private OutboxIds() {}

  static Object[] take(Connection c, int count) throws SQLException {
    Object[] ids = new Object[count];
    int blocks = (count + BLOCK - 1) / BLOCK;
    int i = 0;
    try (PreparedStatement ps = c.prepareStatement(NEXT)) {
      ps.setInt(1, blocks);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long low = rs.getLong(1);
          for (long id = low; id < low + BLOCK && i < count; id++) {
            ids[i++] = id;
          }
        }
      }
    }
    if (i < count) {
      throw new SQLException("outbox_seq gave " + i + " ids of " + count);
    }
    return ids;
  }
}
