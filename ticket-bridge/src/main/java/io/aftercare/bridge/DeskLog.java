package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Appends to and reads the append-only record of an incident or a complaint. */
final class DeskLog {

  private DeskLog() {}

  static void append(
      Connection c,
      DeskSubject subject,
      long id,
      Instant at,
      String actor,
      String kind,
      String note,
      Object detail)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO "
                + subject.entries
                + " ("
                + subject.idColumn
                + ", at, actor, kind, note, detail) VALUES (?, ?, ?, ?, ?, ?::jsonb)")) {
      insert.setLong(1, id);
      insert.setTimestamp(2, Timestamp.from(at));
      insert.setString(3, actor);
      insert.setString(4, kind);
      insert.setString(5, subject.notesSealed ? DeskKey.current().seal(note) : note);
      if (detail == null) {
        insert.setNull(6, Types.VARCHAR);
      } else {
        insert.setString(6, BridgeJson.write(detail));
      }
      insert.executeUpdate();
    }
  }

  static List<DeskEntry> read(Connection c, DeskSubject subject, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, at, actor, kind, note, detail::text AS detail FROM "
                + subject.entries
                + " WHERE "
                + subject.idColumn
                + " = ? ORDER BY id")) {
      select.setLong(1, id);
      List<DeskEntry> entries = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          String detail = rs.getString("detail");
          entries.add(
              new DeskEntry(
                  rs.getLong("id"),
                  rs.getTimestamp("at").toInstant(),
                  rs.getString("actor"),
                  rs.getString("kind"),
                  subject.notesSealed
                      ? DeskKey.current().open(rs.getString("note"))
                      : rs.getString("note"),
                  detail == null ? null : BridgeJson.read(detail)));
        }
      }
      return entries;
    }
  }

  /** A nullable timestamp column of the service-desk tables. */
  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.toInstant();
  }
}
