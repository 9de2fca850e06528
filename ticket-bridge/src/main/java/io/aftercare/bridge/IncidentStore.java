package io.aftercare.bridge;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of incidents, their scope and their linked tickets. */
final class IncidentStore {

  private static final String COLUMNS =
      "id, level, title, description, status, tier, declared_by, origin, declared_at, responded_at,"
          + " first_handled_at, resolved_at, closed_at, review_summary, review_root_cause,"
          + " review_actions, reviewed_by, reviewed_at, updated_at,"
          + " ARRAY(SELECT ref FROM incident_scope s WHERE s.incident_id = incidents.id"
          + " AND s.kind = 'device' ORDER BY ref) AS device_ids,"
          + " ARRAY(SELECT ref FROM incident_scope s WHERE s.incident_id = incidents.id"
          + " AND s.kind = 'customer') AS customer_refs";

  private IncidentStore() {}

  /**
   * @param origin {@code declared} (staff) or {@code detected} (the diagnostics engine)
   */
  static long insert(
      Connection c, IncidentDeclaration declared, String origin, String actor, Instant now)
      throws SQLException {
    long id;
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO incidents (level, title, description, status, declared_by, origin,"
                + " declared_at, updated_at) VALUES (?, ?, ?, 'declared', ?, ?, ?, ?)"
                + " RETURNING id")) {
      insert.setString(1, declared.level().wireName());
      insert.setString(2, declared.title());
      insert.setString(3, declared.description());
      insert.setString(4, actor);
      insert.setString(5, origin);
      insert.setTimestamp(6, Timestamp.from(now));
      insert.setTimestamp(7, Timestamp.from(now));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    try (PreparedStatement scope =
        c.prepareStatement(
            "INSERT INTO incident_scope (incident_id, kind, ref) VALUES (?, ?, ?)")) {
      for (String deviceId : declared.deviceIds()) {
        addScope(scope, id, "device", deviceId);
      }
      for (String customerRef : declared.customerRefs()) {
        // Sealed at rest (V99): a customer reference is personal data.
        addScope(scope, id, "customer", DeskKey.current().seal(customerRef));
      }
      scope.executeBatch();
    }
    return id;
  }

  private static void addScope(PreparedStatement scope, long id, String kind, String ref)
      throws SQLException {
    scope.setLong(1, id);
    scope.setString(2, kind);
    scope.setString(3, ref);
    scope.addBatch();
  }

  /** The given device ids that name no device. */
  static List<String> unknownDevices(Connection c, List<String> deviceIds) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT d FROM unnest(?::text[]) AS d WHERE NOT EXISTS"
                + " (SELECT 1 FROM devices WHERE id = d)")) {
      select.setArray(1, c.createArrayOf("text", deviceIds.toArray()));
      List<String> unknown = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          unknown.add(rs.getString(1));
        }
      }
      return unknown;
    }
  }

  static Optional<Incident> load(Connection c, long id, boolean forUpdate) throws SQLException {
    return Rows.byId(c, "incidents", COLUMNS, id, forUpdate, IncidentStore::all);
  }

  /** Newest first; a null filter means any. */
  static List<Incident> list(
      Connection c, IncidentStatus status, IncidentLevel level, String origin, int limit)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM incidents WHERE (?::text IS NULL OR status = ?)"
                + " AND (?::text IS NULL OR level = ?) AND (?::text IS NULL OR origin = ?)"
                + " ORDER BY id DESC LIMIT ?")) {
      String statusName = status == null ? null : status.wireName();
      String levelName = level == null ? null : level.wireName();
      select.setString(1, statusName);
      select.setString(2, statusName);
      select.setString(3, levelName);
      select.setString(4, levelName);
      select.setString(5, origin);
      select.setString(6, origin);
      select.setInt(7, limit);
      return all(select);
    }
  }

  /** Incidents whose clocks may still run: not closed. */
  static List<Long> activeIds(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT id FROM incidents WHERE status <> 'closed' ORDER BY id")) {
      return Rows.ids(select);
    }
  }

  static List<Long> ticketIds(Connection c, long incidentId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT ticket_id FROM incident_tickets WHERE incident_id = ? ORDER BY ticket_id")) {
      select.setLong(1, incidentId);
      return Rows.ids(select);
    }
  }

  /** The incident a ticket belongs to, if any. */
  static Optional<Long> incidentOf(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT incident_id FROM incident_tickets WHERE ticket_id = ?")) {
      select.setLong(1, ticketId);
      return Rows.first(Rows.ids(select));
    }
  }

  static void link(Connection c, long incidentId, long ticketId, String actor, Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO incident_tickets (ticket_id, incident_id, linked_by, linked_at)"
                + " VALUES (?, ?, ?, ?)")) {
      insert.setLong(1, ticketId);
      insert.setLong(2, incidentId);
      insert.setString(3, actor);
      insert.setTimestamp(4, Timestamp.from(now));
      insert.executeUpdate();
    }
  }

  /**
   * Moves the incident to {@code to} and stamps the time of that step; {@code stampColumn} is one
   * of the fixed step columns, never input.
   */
  static void move(Connection c, long id, IncidentStatus to, String stampColumn, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE incidents SET status = ?, "
                + stampColumn
                + " = ?, updated_at = ? WHERE id = ?")) {
      update.setString(1, to.wireName());
      update.setTimestamp(2, Timestamp.from(now));
      update.setTimestamp(3, Timestamp.from(now));
      update.setLong(4, id);
      update.executeUpdate();
    }
  }

  static void review(Connection c, long id, IncidentReview review, String actor, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE incidents SET review_summary = ?, review_root_cause = ?, review_actions = ?,"
                + " reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ?")) {
      update.setString(1, review.summary());
      update.setString(2, review.rootCause());
      update.setString(3, review.actions());
      update.setString(4, actor);
      update.setTimestamp(5, Timestamp.from(now));
      update.setTimestamp(6, Timestamp.from(now));
      update.setLong(7, id);
      update.executeUpdate();
    }
  }

  private static List<Incident> all(PreparedStatement select) throws SQLException {
    List<Incident> incidents = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong("id");
        String summary = rs.getString("review_summary");
        incidents.add(
            new Incident(
                id,
                IncidentLevel.fromWireName(rs.getString("level")),
                rs.getString("title"),
                rs.getString("description"),
                IncidentStatus.fromWireName(rs.getString("status"), "status"),
                rs.getInt("tier"),
                rs.getString("declared_by"),
                rs.getString("origin"),
                DeskLog.instant(rs, "declared_at"),
                DeskLog.instant(rs, "responded_at"),
                DeskLog.instant(rs, "first_handled_at"),
                DeskLog.instant(rs, "resolved_at"),
                DeskLog.instant(rs, "closed_at"),
                summary == null
                    ? null
                    : new IncidentReview(
                        summary, rs.getString("review_root_cause"), rs.getString("review_actions")),
                rs.getString("reviewed_by"),
                DeskLog.instant(rs, "reviewed_at"),
                DeskLog.instant(rs, "updated_at"),
                refs(rs, "device_ids"),
                refs(rs, "customer_refs").stream().map(DeskKey.current()::open).sorted().toList()));
      }
    }
    return incidents;
  }

  private static List<String> refs(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    try {
      return List.of((String[]) array.getArray());
    } finally {
      array.free();
    }
  }
}
