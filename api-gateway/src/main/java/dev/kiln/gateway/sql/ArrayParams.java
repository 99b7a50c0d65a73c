package dev.kiln.gateway.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Binds a statement's parameters, in order, to arrays of column values: the shape of the bulk
 * inserts {@code insert ... select * from unnest(?::uuid[], ?::text[], ...)}, which write a whole
 * batch of rows with one statement. why: each column is bound where it is named, so a column added
 * or moved cannot leave the parameter numbers behind.
 */
public final class ArrayParams {

  private final Connection connection;
  private final PreparedStatement statement;
  private int index;

  private ArrayParams(Connection connection, PreparedStatement statement) {
    this.connection = connection;
    this.statement = statement;
  }

  /** Binds from the statement's first parameter on. */
  public static ArrayParams of(Connection connection, PreparedStatement statement) {
    return new ArrayParams(connection, statement);
  }

  /**
   * Binds the next parameter to {@code values} as an array of the SQL type {@code type} ({@code
   * uuid}, {@code text}, {@code int4}, {@code timestamptz}, ...).
   */
  public ArrayParams add(String type, Object[] values) throws SQLException {
    statement.setArray(++index, connection.createArrayOf(type, values));
    return this;
  }
}
