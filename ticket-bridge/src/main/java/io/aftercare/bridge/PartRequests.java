package io.aftercare.bridge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL for part requests and the append-only issue log, inside the caller's transaction. */
final class PartRequests {

  private static final String COLUMNS =
      "id, ticket_id, part_number, model, quantity, status, requested_at, requested_by,"
          + " issued_at";

  private PartRequests() {}

  static PartRequest insert(
      Connection c,
      long ticketId,
      String partNumber,
      String model,
      int quantity,
      String actor,
      Instant now)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO part_requests (ticket_id, part_number, model, quantity, status,"
                + " requested_at, requested_by) VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id")) {
      insert.setLong(1, ticketId);
      insert.setString(2, partNumber);
      insert.setString(3, model);
      insert.setInt(4, quantity);
      insert.setTimestamp(5, Timestamp.from(now));
      insert.setString(6, actor);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return find(c, rs.getLong(1));
      }
    }
  }

  /** The ticket a request belongs to; 404 when there is no such request. */
  static long ticketOf(Connection c, long requestId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT ticket_id FROM part_requests WHERE id = ?")) {
      select.setLong(1, requestId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new BridgeException(BridgeException.Kind.NOT_FOUND, "no such part request");
        }
        return rs.getLong(1);
      }
    }
  }

  static PartRequest find(Connection c, long id) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT " + COLUMNS + " FROM part_requests WHERE id = ?")) {
      select.setLong(1, id);
      List<PartRequest> found = all(select);
      if (found.isEmpty()) {
        throw new BridgeException(BridgeException.Kind.NOT_FOUND, "no such part request");
      }
      return found.get(0);
    }
  }

  static List<PartRequest> ofTicket(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM part_requests WHERE ticket_id = ? ORDER BY id")) {
      select.setLong(1, ticketId);
      return all(select);
    }
  }

  static int openCount(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT count(*) FROM part_requests WHERE ticket_id = ? AND status = 'open'")) {
      select.setLong(1, ticketId);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Marks the request issued and writes its line of the issue log, which it returns. */
  static PartIssue issue(
      Connection c, PartRequest request, String customerRef, String actor, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE part_requests SET status = 'issued', issued_at = ? WHERE id = ?")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setLong(2, request.id());
      update.executeUpdate();
    }
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO part_issues (part_request_id, ticket_id, part_number, model, quantity,"
                + " issued_at, issued_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
      insert.setLong(1, request.id());
      insert.setLong(2, request.ticketId());
      insert.setString(3, request.partNumber());
      insert.setString(4, request.model());
      insert.setInt(5, request.quantity());
      insert.setTimestamp(6, Timestamp.from(now));
      insert.setString(7, actor);
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return new PartIssue(
            rs.getLong(1),
            request.id(),
            request.ticketId(),
            customerRef,
            request.partNumber(),
            request.model(),
            request.quantity(),
            now,
            actor);
      }
    }
  }

  /** The issue log over [from, to), oldest first, with each case's customer reference. */
  static List<PartIssue> issuedBetween(Connection c, Instant from, Instant to, int limit)
      throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT i.id, i.part_request_id, i.ticket_id, t.customer_ref, i.part_number, i.model,"
                + " i.quantity, i.issued_at, i.issued_by FROM part_issues i"
                + " JOIN tickets t ON t.id = i.ticket_id"
                + " WHERE i.issued_at >= ? AND i.issued_at < ? ORDER BY i.issued_at, i.id"
                + " LIMIT ?")) {
      select.setTimestamp(1, Timestamp.from(from));
      select.setTimestamp(2, Timestamp.from(to));
      select.setInt(3, limit);
      List<PartIssue> issues = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          issues.add(
              new PartIssue(
                  rs.getLong("id"),
                  rs.getLong("part_request_id"),
                  rs.getLong("ticket_id"),
                  DeskKey.current().open(rs.getString("customer_ref")),
                  rs.getString("part_number"),
                  rs.getString("model"),
                  rs.getInt("quantity"),
                  rs.getTimestamp("issued_at").toInstant(),
                  rs.getString("issued_by")));
        }
      }
      return issues;
    }
  }

  private static List<PartRequest> all(PreparedStatement select) throws SQLException {
    List<PartRequest> requests = new ArrayList<>();
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        Timestamp issuedAt = rs.getTimestamp("issued_at");
        requests.add(
            new PartRequest(
                rs.getLong("id"),
                rs.getLong("ticket_id"),
                rs.getString("part_number"),
                rs.getString("model"),
                rs.getInt("quantity"),
                rs.getString("status"),
                rs.getTimestamp("requested_at").toInstant(),
                rs.getString("requested_by"),
                issuedAt == null ? null : issuedAt.toInstant()));
      }
    }
    return requests;
  }
}
