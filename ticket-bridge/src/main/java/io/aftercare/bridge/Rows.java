package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The row reading the service desk's SQL classes share. */
final class Rows {

  private Rows() {}

  /** Reads every row a prepared select answers into a record. */
  @FunctionalInterface
  interface Reader<T> {
    List<T> all(PreparedStatement select) throws SQLException;
  }

  /**
   * The record of {@code table} with that id, locked for this transaction when {@code forUpdate};
   * {@code table} and {@code columns} are fixed SQL, never input.
   */
  static <T> Optional<T> byId(
      Connection c, String table, String columns, long id, boolean forUpdate, Reader<T> reader)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + columns
                + " FROM "
                + table
                + " WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
      select.setLong(1, id);
      return first(reader.all(select));
    }
  }

  /** The first of the rows read, if any. */
  static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** The first column of every row the select answers, as ids. */
  static List<Long> ids(PreparedStatement select) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }
}
