package io.aftercare.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * One clock step of an incident or complaint, as the ticket SLA check does it: the warning (past
 * the warning share of the target) and the breach (past the target) are each recorded once, and a
 * breach escalates to the next support line (first, second, third). The caller holds the row lock
 * and writes the event; the once-only marks are columns of the row ({@code <clock>_warned_at},
 * {@code <clock>_breached_at}), so several checks running at once never record a step twice.
 */
final class DeskEscalation {

  private static final int TOP_TIER = 3;

  /** What one check recorded. */
  record Steps(int recorded, boolean breached) {
    static final Steps NONE = new Steps(0, false);

    Steps and(Steps other) {
      return new Steps(recorded + other.recorded, breached || other.breached);
    }
  }

  private DeskEscalation() {}

  /**
   * @param clockName response, handling or closure: the prefix of the mark columns, never input
   */
  static Steps step(
      Connection c, DeskSubject subject, long id, String clockName, SlaClock clock, Instant now)
      throws SQLException {
    if (clock.state() != SlaClock.State.RUNNING || clock.standing() == SlaClock.Standing.ON_TIME) {
      return Steps.NONE;
    }
    ObjectNode detail = BridgeJson.MAPPER.createObjectNode();
    detail.put("clock", clockName);
    detail.put("elapsed", clock.elapsed().toString());
    detail.put("target", clock.target().toString());
    int recorded = 0;
    boolean breached = false;
    if (markOnce(c, subject, id, clockName + "_warned_at", now)) {
      DeskLog.append(
          c,
          subject,
          id,
          now,
          RequestProcessor.ACTOR,
          "sla_warning",
          clockName + " clock past the warning threshold",
          detail);
      recorded++;
    }
    if (clock.standing() == SlaClock.Standing.BREACHED
        && markOnce(c, subject, id, clockName + "_breached_at", now)) {
      DeskLog.append(
          c,
          subject,
          id,
          now,
          RequestProcessor.ACTOR,
          "sla_breach",
          clockName + " target missed",
          detail);
      int tier = raiseTier(c, subject, id, now);
      ObjectNode escalation = BridgeJson.MAPPER.createObjectNode();
      escalation.put("tier", tier);
      DeskLog.append(
          c,
          subject,
          id,
          now,
          RequestProcessor.ACTOR,
          "escalation",
          "escalated to support line " + tier,
          escalation);
      recorded++;
      breached = true;
    }
    return new Steps(recorded, breached);
  }

  private static boolean markOnce(
      Connection c, DeskSubject subject, long id, String column, Instant now) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE "
                + subject.table
                + " SET "
                + column
                + " = ? WHERE id = ? AND "
                + column
                + " IS NULL")) {
      update.setTimestamp(1, Timestamp.from(now));
      update.setLong(2, id);
      return update.executeUpdate() == 1;
    }
  }

  private static int raiseTier(Connection c, DeskSubject subject, long id, Instant now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE "
                + subject.table
                + " SET tier = LEAST(?, tier + 1), updated_at = ? WHERE id = ? RETURNING tier")) {
      update.setInt(1, TOP_TIER);
      update.setTimestamp(2, Timestamp.from(now));
      update.setLong(3, id);
      try (ResultSet rs = update.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
