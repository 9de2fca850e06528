package io.aftercare.platform.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Reads a nullable {@code timestamptz} column as an {@link Instant}; SQL NULL reads as null. */
public final class TimestampColumn {

  private TimestampColumn() {}

  public static Instant read(ResultSet rs, String column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }
}
