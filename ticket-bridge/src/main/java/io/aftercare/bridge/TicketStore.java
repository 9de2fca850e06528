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

/** SQL for tickets and their timeline, inside the caller's transaction. */
final class TicketStore {

  private static final String COLUMNS =
      "id, device_id, rule_id, category, severity, priority, status, device_type, customer_ref,"
          + " customer_tier, tier, owner, assignee, channel, satisfaction, reason, external_ref,"
          + " opened_at, updated_at, evidence::text";

  /** What a new ticket starts with. */
  record NewTicket(
      String deviceId,
      String ruleId,
      String category,
      String severity,
      String priority,
      String deviceType,
      String customerRef,
      String customerTier,
      String reason,
      String evidenceJson) {}

  /** Filters of the ticket list; null means any. */
  record Filter(String status, String priority, String deviceId, int limit) {}

  private TicketStore() {}

  static long insert(Connection c, NewTicket t, Instant now) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO tickets (device_id, rule_id, category, severity, priority, status,"
                + " device_type, customer_ref, customer_tier, reason, evidence, opened_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?::jsonb, ?, ?)"
                + " RETURNING id")) {
      insert.setString(1, t.deviceId());
      insert.setString(2, t.ruleId());
      insert.setString(3, t.category());
      insert.setString(4, t.severity());
      insert.setString(5, t.priority());
      insert.setString(6, t.deviceType());
      insert.setString(7, t.customerRef());
      insert.setString(8, t.customerTier());
      insert.setString(9, t.reason());
      insert.setString(10, t.evidenceJson());
      insert.setTimestamp(11, Timestamp.from(now));
      insert.setTimestamp(12, Timestamp.from(now));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static Optional<Ticket> load(Connection c, long id, boolean forUpdate) throws SQLException {
    String sql =
        "SELECT " + COLUMNS + " FROM tickets WHERE id = ?" + (forUpdate ? " FOR UPDATE" : "");
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setLong(1, id);
      return first(select);
    }
  }

  /** The ticket still open for this fault, locked, if there is one. */
  static Optional<Ticket> lockLive(Connection c, String deviceId, String ruleId)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM tickets WHERE device_id = ? AND rule_id = ?"
                + " AND status NOT IN ('closed', 'cancelled') FOR UPDATE")) {
      select.setString(1, deviceId);
      select.setString(2, ruleId);
      return first(select);
    }
  }

  static List<Ticket> list(Connection c, Filter filter) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM tickets WHERE (?::text IS NULL OR status = ?)"
                + " AND (?::text IS NULL OR priority = ?) AND (?::text IS NULL OR device_id = ?)"
                + " ORDER BY id DESC LIMIT ?")) {
      select.setString(1, filter.status());
      select.setString(2, filter.status());
      select.setString(3, filter.priority());
      select.setString(4, filter.priority());
      select.setString(5, filter.deviceId());
      select.setString(6, filter.deviceId());
      select.setInt(7, filter.limit());
      return all(select);
    }
  }

  static List<Ticket> openedBetween(Connection c, Instant from, Instant to) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM tickets WHERE opened_at >= ? AND opened_at < ? ORDER BY id")) {
      select.setTimestamp(1, Timestamp.from(from));
      select.setTimestamp(2, Timestamp.from(to));
      return all(select);
    }
  }

  /** Tickets whose SLA clocks may still run: not yet resolved or ended. */
  static List<Long> activeIds(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM tickets WHERE status NOT IN ('resolved', 'closed', 'cancelled')"
                + " ORDER BY id")) {
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }

  static void appendTimeline(
      Connection c,
      long ticketId,
      Instant at,
      String actor,
      String kind,
      TicketStatus from,
      TicketStatus to,
      String note,
      String detailJson)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_timeline (ticket_id, at, actor, kind, from_status, to_status, note,"
                + " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
      insert.setLong(1, ticketId);
      insert.setTimestamp(2, Timestamp.from(at));
      insert.setString(3, actor);
      insert.setString(4, kind);
      insert.setString(5, from == null ? null : from.wireName());
      insert.setString(6, to == null ? null : to.wireName());
      insert.setString(7, note);
      if (detailJson == null) {
        insert.setNull(8, Types.VARCHAR);
      } else {
        insert.setString(8, detailJson);
      }
      insert.executeUpdate();
    }
  }

  static List<TimelineEntry> timeline(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, at, actor, kind, from_status, to_status, note, detail::text"
                + " FROM ticket_timeline WHERE ticket_id = ? ORDER BY id")) {
      select.setLong(1, ticketId);
      List<TimelineEntry> entries = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          entries.add(
              new TimelineEntry(
                  rs.getLong(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getString(3),
                  rs.getString(4),
                  status(rs.getString(5)),
                  status(rs.getString(6)),
                  rs.getString(7),
                  rs.getString(8) == null ? null : BridgeJson.read(rs.getString(8))));
        }
      }
      return entries;
    }
  }

  /** The status changes of a ticket, the first being its opening: input of the SLA clocks. */
  static List<StatusChange> statusChanges(List<TimelineEntry> timeline) {
    List<StatusChange> changes = new ArrayList<>();
    for (TimelineEntry entry : timeline) {
      if ("transition".equals(entry.kind())) {
        changes.add(new StatusChange(entry.to(), entry.at()));
      }
    }
    return changes;
  }

  private static TicketStatus status(String wire) {
    return wire == null ? null : TicketStatus.fromWireName(wire);
  }

  private static Optional<Ticket> first(PreparedStatement select) throws SQLException {
    List<Ticket> tickets = all(select);
    return tickets.isEmpty() ? Optional.empty() : Optional.of(tickets.get(0));
  }

  private static List<Ticket> all(PreparedStatement select) throws SQLException {
    List<Ticket> tickets = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        Integer satisfaction = rs.getObject(15) == null ? null : rs.getInt(15);
        tickets.add(
            new Ticket(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                TicketStatus.fromWireName(rs.getString(7)),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getInt(11),
                rs.getString(12),
                rs.getString(13),
                rs.getString(14),
                satisfaction,
                rs.getString(16),
                rs.getString(17),
                rs.getTimestamp(18).toInstant(),
                rs.getTimestamp(19).toInstant(),
                BridgeJson.read(rs.getString(20))));
      }
    }
    return tickets;
  }
}
