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
import java.util.Optional;

/** The SQL of complaints. */
final class ComplaintStore {

  private static final String COLUMNS =
      "id, ticket_id, channel, customer_ref, text, status, owner, tier, received_at, responded_at,"
          + " responded_by, response, resolved_at, resolved_by, resolution, confirmed,"
          + " confirmation_comment, confirmed_by, confirmed_at, updated_at";

  private ComplaintStore() {}

  static long insert(
      Connection c, ComplaintFiling filing, String customerRef, String owner, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO complaints (ticket_id, channel, customer_ref, text, status, owner,"
                + " received_at, updated_at) VALUES (?, ?, ?, ?, 'received', ?, ?, ?)"
                + " RETURNING id")) {
      if (filing.ticketId() == null) {
        insert.setNull(1, Types.BIGINT);
      } else {
        insert.setLong(1, filing.ticketId());
      }
      insert.setString(2, filing.channel());
      insert.setString(3, DeskKey.current().seal(customerRef));
      insert.setString(4, DeskKey.current().seal(filing.text()));
      insert.setString(5, owner);
      insert.setTimestamp(6, Timestamp.from(now));
      insert.setTimestamp(7, Timestamp.from(now));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static Optional<Complaint> load(Connection c, long id, boolean forUpdate) throws SQLException {
    return Rows.byId(c, "complaints", COLUMNS, id, forUpdate, ComplaintStore::all);
  }

  /** Newest first; a null filter means any. */
  static List<Complaint> list(Connection c, ComplaintStatus status, Long ticketId, int limit)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM complaints WHERE (?::text IS NULL OR status = ?)"
                + " AND (?::bigint IS NULL OR ticket_id = ?) ORDER BY id DESC LIMIT ?")) {
      String statusName = status == null ? null : status.wireName();
      select.setString(1, statusName);
      select.setString(2, statusName);
      select.setObject(3, ticketId, Types.BIGINT);
      select.setObject(4, ticketId, Types.BIGINT);
      select.setInt(5, limit);
      return all(select);
    }
  }

  /** Complaints whose response clock runs: not yet answered. */
  static List<Long> unansweredIds(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT id FROM complaints WHERE responded_at IS NULL ORDER BY id")) {
      return Rows.ids(select);
    }
  }

  static void respond(Connection c, long id, String response, String actor, Instant now)
      throws SQLException {
    update(
        c,
        "UPDATE complaints SET status = 'responded', response = ?, responded_by = ?,"
            + " responded_at = ?, updated_at = ? WHERE id = ?",
        id,
        response,
        actor,
        now);
  }

  static void resolve(Connection c, long id, String resolution, String actor, Instant now)
      throws SQLException {
    update(
        c,
        "UPDATE complaints SET status = 'resolved', resolution = ?, resolved_by = ?,"
            + " resolved_at = ?, updated_at = ? WHERE id = ?",
        id,
        resolution,
        actor,
        now);
  }

  /** Records the customer's answer: a confirmation closes the complaint, a refusal reopens it. */
  static void confirm(
      Connection c, long id, boolean confirmed, String comment, String actor, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE complaints SET status = ?, confirmed = ?, confirmation_comment = ?,"
                + " confirmed_by = ?, confirmed_at = ?, updated_at = ? WHERE id = ?")) {
      update.setString(
          1, (confirmed ? ComplaintStatus.CLOSED : ComplaintStatus.RESPONDED).wireName());
      update.setBoolean(2, confirmed);
      update.setString(3, DeskKey.current().seal(comment));
      update.setString(4, actor);
      update.setTimestamp(5, Timestamp.from(now));
      update.setTimestamp(6, Timestamp.from(now));
      update.setLong(7, id);
      update.executeUpdate();
    }
  }

  private static void update(
      Connection c, String sql, long id, String text, String actor, Instant now)
      throws SQLException {
    try (PreparedStatement update = c.prepareStatement(sql)) {
      update.setString(1, DeskKey.current().seal(text));
      update.setString(2, actor);
      update.setTimestamp(3, Timestamp.from(now));
      update.setTimestamp(4, Timestamp.from(now));
      update.setLong(5, id);
      update.executeUpdate();
    }
  }

  private static List<Complaint> all(PreparedStatement select) throws SQLException {
    List<Complaint> complaints = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        complaints.add(
            new Complaint(
                rs.getLong("id"),
                rs.getObject("ticket_id", Long.class),
                rs.getString("channel"),
                DeskKey.current().open(rs.getString("customer_ref")),
                DeskKey.current().open(rs.getString("text")),
                ComplaintStatus.fromWireName(rs.getString("status")),
                rs.getString("owner"),
                rs.getInt("tier"),
                DeskLog.instant(rs, "received_at"),
                DeskLog.instant(rs, "responded_at"),
                rs.getString("responded_by"),
                DeskKey.current().open(rs.getString("response")),
                DeskLog.instant(rs, "resolved_at"),
                rs.getString("resolved_by"),
                DeskKey.current().open(rs.getString("resolution")),
                rs.getObject("confirmed", Boolean.class),
                DeskKey.current().open(rs.getString("confirmation_comment")),
                rs.getString("confirmed_by"),
                DeskLog.instant(rs, "confirmed_at"),
                DeskLog.instant(rs, "updated_at")));
      }
    }
    return complaints;
  }
}
