package io.aftercare.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for tickets and their timeline, inside the caller's transaction. */
final class TicketStore {

  static final String COLUMNS =
      "id, device_id, rule_id, category, severity, priority, status, device_type, customer_ref,"
          + " customer_tier, tier, owner, assignee, channel, satisfaction, reason, external_ref,"
          + " opened_at, updated_at, evidence::text AS evidence, source, intake_channel, service_type,"
          + " symptom, archived_at, archived_from, next_deadline, next_clock";

  /** What a new ticket starts with. */
  record NewTicket(
      String deviceId,
      String ruleId,
      Category category,
      Severity severity,
      Priority priority,
      String deviceType,
      String customerRef,
      String customerTier,
      String reason,
      TicketEvidence evidence) {}

  /** Filters of the ticket list; null means any. */
  record Filter(
      TicketStatus status,
      Priority priority,
      String deviceId,
      String assignee,
      String customerRef,
      String category,
      Long beforeId,
      int limit,
      TicketListQuery.Sort sort,
      TicketListQuery.SlaPosition afterSla) {}

  private TicketStore() {}

  static long insert(Connection c, NewTicket t, Instant now) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO tickets (device_id, rule_id, category, severity, priority, status,"
                + " device_type, customer_ref, customer_tier, reason, evidence, opened_at,"
                + " updated_at, customer_ref_index)"
                + " VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?::jsonb, ?, ?, ?)"
                + " RETURNING id")) {
      insert.setString(1, t.deviceId());
      insert.setString(2, t.ruleId());
      insert.setString(3, t.category().wireName());
      insert.setString(4, t.severity().wireName());
      insert.setString(5, t.priority().wireName());
      insert.setString(6, t.deviceType());
      insert.setString(7, DeskKey.current().seal(t.customerRef()));
      insert.setString(13, DeskKey.current().index(t.customerRef()));
      insert.setString(8, t.customerTier());
      insert.setString(9, t.reason());
      insert.setString(10, BridgeJson.write(t.evidence()));
      insert.setTimestamp(11, Timestamp.from(now));
      insert.setTimestamp(12, Timestamp.from(now));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong("id");
      }
    }
  }

  /** The ticket, locked for this transaction; 404 "no such ticket" when there is none. */
  static Ticket lock(Connection c, long id) throws SQLException {
    return load(c, id, true)
        .orElseThrow(() -> new BridgeException(BridgeException.Kind.NOT_FOUND, "no such ticket"));
  }

  static Optional<Ticket> load(Connection c, long id, boolean forUpdate) throws SQLException {
    String sql =
        "SELECT " + COLUMNS + " FROM tickets WHERE id = ?" + (forUpdate ? " FOR UPDATE" : "");
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setLong(1, id);
      return first(select);
    }
  }

  /** The cases whose clocks may still run: the SLA order lists only these (V80's index). */
  private static final String NOT_ENDED =
      "status NOT IN ('resolved', 'closed', 'cancelled', 'archived')";

  /** The SLA order's key: V80's index is on exactly this expression, then id. */
  private static final String SLA_KEY = "coalesce(next_deadline, 'infinity'::timestamptz)";

  static List<Ticket> list(Connection c, Filter filter) throws SQLException {
    boolean sla = filter.sort() == TicketListQuery.Sort.SLA;
    String page;
    if (sla) {
      page =
          (filter.afterSla() == null
                  ? ""
                  : " AND (" + SLA_KEY + ", id) > (coalesce(?, 'infinity'::timestamptz), ?)")
              + " AND "
              + NOT_ENDED
              + " ORDER BY "
              + SLA_KEY
              + ", id LIMIT ?";
    } else {
      page = " AND (?::bigint IS NULL OR id < ?) ORDER BY id DESC LIMIT ?";
    }
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM tickets WHERE (?::text IS NULL OR status = ?)"
                + " AND (?::text IS NULL OR priority = ?) AND (?::text IS NULL OR device_id = ?)"
                + " AND (?::text IS NULL OR assignee = ?)"
                + " AND (?::text IS NULL OR customer_ref_index IN (?, ?))"
                + " AND (?::text IS NULL OR category = ?)"
                + page)) {
      String status = filter.status() == null ? null : filter.status().wireName();
      String priority = filter.priority() == null ? null : filter.priority().wireName();
      // During a key rotation a case may still carry the previous key's index: match either.
      List<String> customerIndexes = DeskKey.current().indexes(filter.customerRef());
      String customerIndex = customerIndexes.isEmpty() ? null : customerIndexes.get(0);
      String previousIndex =
          customerIndexes.isEmpty() ? null : customerIndexes.get(customerIndexes.size() - 1);
      String[] values = {
        status, priority, filter.deviceId(), filter.assignee(), customerIndex, filter.category()
      };
      int customerFilter = 4;
      int i = 1;
      for (int v = 0; v < values.length; v++) {
        select.setString(i++, values[v]);
        select.setString(i++, values[v]);
        if (v == customerFilter) {
          select.setString(i++, previousIndex);
        }
      }
      if (!sla) {
        select.setObject(i++, filter.beforeId(), java.sql.Types.BIGINT);
        select.setObject(i++, filter.beforeId(), java.sql.Types.BIGINT);
      } else if (filter.afterSla() != null) {
        Instant deadline = filter.afterSla().deadline();
        select.setTimestamp(i++, deadline == null ? null : Timestamp.from(deadline));
        select.setLong(i++, filter.afterSla().id());
      }
      select.setInt(i, filter.limit());
      return all(select);
    }
  }

  /** Tickets whose SLA clocks may still run: not yet resolved or ended. */
  static List<Long> activeIds(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM tickets WHERE status NOT IN ('resolved', 'closed', 'cancelled',"
                + " 'archived')"
                + " ORDER BY id")) {
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong("id"));
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
      Object detail)
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
      if (detail == null) {
        insert.setNull(8, Types.VARCHAR);
      } else {
        insert.setString(8, BridgeJson.write(detail));
      }
      insert.executeUpdate();
    }
  }

  /**
   * The timeline kind of a customer's report joining the case; its note and its detail's reference
   * and symptom are sealed.
   */
  static final String CUSTOMER_REPORT = "customer_report";

  /** The members of a customer report's detail kept sealed (V97, V99). */
  static final List<String> CUSTOMER_REPORT_SEALED = List.of("customerRef", "symptom");

  private static final String TIMELINE_COLUMNS =
      "SELECT l.ticket_id, l.id, l.at, l.actor, l.kind, l.from_status, l.to_status, l.note,"
          + " l.detail::text AS detail FROM ticket_timeline l";

  static List<TimelineEntry> timeline(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(TIMELINE_COLUMNS + " WHERE l.ticket_id = ? ORDER BY l.id")) {
      select.setLong(1, ticketId);
      return timelines(select).getOrDefault(ticketId, List.of());
    }
  }

  private static Map<Long, List<TimelineEntry>> timelines(PreparedStatement select)
      throws SQLException {
    Map<Long, List<TimelineEntry>> timelines = new HashMap<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        String detail = rs.getString("detail");
        timelines
            .computeIfAbsent(rs.getLong("ticket_id"), id -> new ArrayList<>())
            .add(
                new TimelineEntry(
                    rs.getLong("id"),
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("actor"),
                    rs.getString("kind"),
                    status(rs.getString("from_status")),
                    status(rs.getString("to_status")),
                    openedNote(rs.getString("kind"), rs.getString("note")),
                    detail == null ? null : opened(rs.getString("kind"), BridgeJson.read(detail))));
      }
    }
    return timelines;
  }

  /** The note of a timeline line, opened when it is a customer report's (V99). */
  private static String openedNote(String kind, String note) {
    return CUSTOMER_REPORT.equals(kind) ? DeskKey.current().open(note) : note;
  }

  /**
   * The detail of a timeline line with a customer report's reference (V97) and symptom (V99)
   * opened.
   */
  private static JsonNode opened(String kind, JsonNode detail) {
    if (CUSTOMER_REPORT.equals(kind) && detail instanceof ObjectNode report) {
      for (String sealed : CUSTOMER_REPORT_SEALED) {
        if (report.path(sealed).isTextual()) {
          report.put(sealed, DeskKey.current().open(report.get(sealed).asText()));
        }
      }
    }
    return detail;
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

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
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
        tickets.add(ticket(rs));
      }
    }
    return tickets;
  }

  /** The ticket on the result's current row, selected with {@link #COLUMNS}. */
  static Ticket ticket(ResultSet rs) throws SQLException {
    return new Ticket(
        rs.getLong("id"),
        rs.getString("device_id"),
        rs.getString("rule_id"),
        rs.getString("category") == null ? null : Category.fromWireName(rs.getString("category")),
        Severity.fromWireName(rs.getString("severity")),
        Priority.fromWireName(rs.getString("priority")),
        TicketStatus.fromWireName(rs.getString("status")),
        rs.getString("device_type"),
        DeskKey.current().open(rs.getString("customer_ref")),
        rs.getString("customer_tier"),
        rs.getInt("tier"),
        rs.getString("owner"),
        rs.getString("assignee"),
        rs.getString("channel"),
        rs.getObject("satisfaction", Integer.class),
        rs.getString("reason"),
        rs.getString("external_ref"),
        rs.getTimestamp("opened_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        BridgeJson.read(rs.getString("evidence"), TicketEvidence.class),
        rs.getString("source"),
        rs.getString("intake_channel"),
        rs.getString("service_type"),
        DeskKey.current().open(rs.getString("symptom")),
        instant(rs.getTimestamp("archived_at")),
        status(rs.getString("archived_from")),
        instant(rs.getTimestamp("next_deadline")),
        rs.getString("next_clock"));
  }
}
