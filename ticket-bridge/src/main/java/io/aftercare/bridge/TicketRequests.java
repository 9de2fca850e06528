package io.aftercare.bridge;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The bridge's inbound contract: requests written into {@code ticket_requests} in the caller's
 * transaction, so that a request exists if and only if the change that warranted it was committed.
 * The bridge's request processor turns each into a ticket change exactly once (docs/tickets.md).
 */
public final class TicketRequests {

  private TicketRequests() {}

  /**
   * Asks for a ticket: one is opened, or the request joins, adds evidence to or reopens the ticket
   * of its fault episode (docs/tickets.md).
   *
   * @return the request's id
   */
  public static long open(Connection c, TicketRequest request) throws SQLException {
    return insert(c, Kind.OPEN, request.fault(), request.reason(), request.evidence());
  }

  /**
   * Tells the bridge that the alarm of a fault it was asked about has cleared; the fault's live
   * ticket follows the clear policy.
   *
   * @param resolution how it cleared, one line for people (e.g. "fixed remotely")
   * @return the request's id
   */
  public static long alarmCleared(Connection c, TicketRequest.Fault fault, String resolution)
      throws SQLException {
    return alarmCleared(c, fault, resolution, null);
  }

  /**
   * Tells the bridge that the alarm of a fault it was asked about has cleared and the device then
   * passed its post-fix health check: the check's evidence goes on the ticket's timeline ({@code
   * health_check}), then the fault's live ticket follows the clear policy.
   *
   * @param healthCheck the passed check's evidence, as the platform recorded it; {@code null} when
   *     the caller checks nothing after a clear
   * @return the request's id
   */
  public static long alarmCleared(
      Connection c, TicketRequest.Fault fault, String resolution, JsonNode healthCheck)
      throws SQLException {
    return insert(
        c, Kind.ALARM_CLEARED, fault, resolution, new ClearEvidence(resolution, healthCheck));
  }

  /**
   * Tells the bridge that the device failed its post-fix health check after the fault's alarm
   * cleared: the evidence goes on the live ticket's timeline ({@code health_check}) and the ticket
   * keeps working. The alarm's link stays active, so the ticket is neither resolved nor cancelled.
   *
   * @param reason one line for people: what failed
   * @param healthCheck the failed check's evidence
   * @return the request's id
   */
  public static long healthCheckFailed(
      Connection c, TicketRequest.Fault fault, String reason, JsonNode healthCheck)
      throws SQLException {
    return insert(c, Kind.HEALTH_CHECK_FAILED, fault, reason, new ClearEvidence(null, healthCheck));
  }

  /** What a clear or health-check request records besides its reason. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ClearEvidence(String resolution, JsonNode healthCheck) {}

  /** The {@code kind} column. */
  enum Kind {
    OPEN("open"),
    ALARM_CLEARED("alarm_cleared"),
    HEALTH_CHECK_FAILED("health_check_failed");

    final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    static Kind fromWireName(String name) {
      for (Kind kind : values()) {
        if (kind.wireName.equals(name)) {
          return kind;
        }
      }
      throw new IllegalStateException("unknown ticket request kind '" + name + "'");
    }
  }

  private static long insert(
      Connection c, Kind kind, TicketRequest.Fault fault, String reason, Object evidence)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO ticket_requests (kind, device_id, alarm_id, rule_id, category, severity,"
                + " reason, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id")) {
      insert.setString(1, kind.wireName);
      insert.setString(2, fault.deviceId());
      insert.setLong(3, fault.alarmId());
      insert.setString(4, fault.ruleId());
      insert.setString(5, fault.category().wireName());
      insert.setString(6, fault.severity().wireName());
      insert.setString(7, reason);
      insert.setString(8, BridgeJson.write(evidence));
      try (ResultSet rs = insert.executeQuery()) {
        rs.next();
        return rs.getLong("id");
      }
    }
  }
}
