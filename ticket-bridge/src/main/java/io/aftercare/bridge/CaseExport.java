package io.aftercare.bridge;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** Which ended cases an export holds (docs/retention.md): SQL inside the caller's transaction. */
final class CaseExport {

  /** Cases in one export, at most: a wider range is refused and the caller narrows it. */
  static final int MAX_CASES = 2_000;

  private static final List<TicketStatus> ENDED =
      List.of(TicketStatus.CLOSED, TicketStatus.CANCELLED, TicketStatus.ARCHIVED);

  private CaseExport() {}

  /** The statuses an export of {@code status} covers: one ended status, or all when null. */
  static List<TicketStatus> statuses(String status) {
    if (status == null) {
      return ENDED;
    }
    TicketStatus only = TicketStatus.fromWireName(status);
    if (!ENDED.contains(only)) {
      throw new BridgeException(
          BridgeException.Kind.INVALID, "'status' must be closed, cancelled or archived");
    }
    return List.of(only);
  }

  static List<Long> ids(Connection c, Instant from, Instant to, List<TicketStatus> statuses)
      throws SQLException {
    Array wanted = c.createArrayOf("text", statuses.stream().map(TicketStatus::wireName).toArray());
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id FROM tickets WHERE opened_at >= ? AND opened_at < ?"
                + " AND status = ANY (?) ORDER BY id LIMIT ?")) {
      select.setTimestamp(1, Timestamp.from(from));
      select.setTimestamp(2, Timestamp.from(to));
      select.setArray(3, wanted);
      select.setInt(4, MAX_CASES + 1);
      List<Long> ids = Rows.ids(select);
      if (ids.size() > MAX_CASES) {
        throw new BridgeException(
            BridgeException.Kind.INVALID,
            "'from' and 'to' cover more than " + MAX_CASES + " cases: narrow the range");
      }
      return ids;
    }
  }
}
