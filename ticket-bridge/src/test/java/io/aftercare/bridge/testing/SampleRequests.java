package io.aftercare.bridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.aftercare.bridge.Category;
import io.aftercare.bridge.Severity;
import io.aftercare.bridge.TicketEvidence;
import io.aftercare.bridge.TicketRequest;
import io.aftercare.bridge.TicketRequests;
import io.aftercare.testsupport.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Ticket requests written through the bridge's contract, as the platform's diagnostics write them:
 * a major device fault whose remote restart failed, and its clear.
 */
public final class SampleRequests {

  public static final String REASON = "compressor stalled, remote restart failed";

  /** A fridge too warm for ten minutes: the evidence docs/tickets.md shows. */
  public static final TicketEvidence EVIDENCE =
      TicketEvidence.of(
          new TicketEvidence.Rule(
              "fridge-temp-high", "temperature_c > 8 for 10m", Category.DEVICE_FAULT),
          new TicketEvidence.Alarm(
              41,
              Severity.MAJOR,
              "open",
              Instant.parse("2026-11-23T09:50:00Z"),
              Instant.parse("2026-11-23T10:00:00Z"),
              6,
              11.8,
              null),
          Category.DEVICE_FAULT,
          new TicketEvidence.TelemetryWindow(
              Instant.parse("2026-11-23T09:30:00Z"),
              Instant.parse("2026-11-23T10:00:00Z"),
              Map.of("temperature_c", new TicketEvidence.MetricSummary(4.1, 11.8, 8.9, 30, 11.8))),
          List.of(
              new TicketEvidence.RemoteAction(
                  "restart_compressor",
                  "c-1",
                  "failed",
                  Instant.parse("2026-11-23T09:55:00Z"),
                  JsonNodeFactory.instance.objectNode().put("error", "stall"))));

  private SampleRequests() {}

  public static TicketRequest.Fault fault(String deviceId, String ruleId) {
    return new TicketRequest.Fault(deviceId, 41, ruleId, Category.DEVICE_FAULT, Severity.MAJOR);
  }

  /** A major fault of this alarm, rule and diagnosis category. */
  public static TicketRequest.Fault fault(
      String deviceId, long alarmId, String ruleId, Category category) {
    return new TicketRequest.Fault(deviceId, alarmId, ruleId, category, Severity.MAJOR);
  }

  /** Asks for a ticket; returns the request's id. */
  public static long open(TestDatabases.TestDatabase database, String deviceId, String ruleId) {
    return open(database, fault(deviceId, ruleId));
  }

  /** Asks for a ticket for this fault; returns the request's id. */
  public static long open(TestDatabases.TestDatabase database, TicketRequest.Fault fault) {
    return write(database, c -> TicketRequests.open(c, new TicketRequest(fault, REASON, EVIDENCE)));
  }

  /** Says the fault's alarm cleared; returns the request's id. */
  public static long cleared(TestDatabases.TestDatabase database, String deviceId, String ruleId) {
    return cleared(database, fault(deviceId, ruleId));
  }

  /** Says this fault's alarm cleared; returns the request's id. */
  public static long cleared(TestDatabases.TestDatabase database, TicketRequest.Fault fault) {
    return write(database, c -> TicketRequests.alarmCleared(c, fault, "cleared"));
  }

  /** Says this fault's alarm cleared and the device then passed its health check. */
  public static long clearedAfterHealthCheck(
      TestDatabases.TestDatabase database, TicketRequest.Fault fault, JsonNode healthCheck) {
    return write(
        database,
        c ->
            TicketRequests.alarmCleared(
                c, fault, "fixed_remotely; post-fix health check passed", healthCheck));
  }

  /** Says the device failed its health check after this fault's alarm cleared. */
  public static long healthCheckFailed(
      TestDatabases.TestDatabase database, TicketRequest.Fault fault, JsonNode healthCheck) {
    return write(
        database,
        c ->
            TicketRequests.healthCheckFailed(
                c, fault, "post-fix health check failed: the device is offline", healthCheck));
  }

  private interface Write {
    long to(Connection c) throws SQLException;
  }

  private static long write(TestDatabases.TestDatabase database, Write write) {
    try (Connection c = database.connect()) {
      return write.to(c);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
