package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge's inbound contract: requests written with {@link TicketRequests} in the caller's
 * transaction become one ticket per fault, with the evidence in its documented JSON shape and the
 * device's facts added by the bridge.
 */
class TicketRequestsTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T10:00:05Z"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestBridge test;

  @BeforeAll
  static void start() {
    test = TestBridge.idle(TestBridgeConfig.defaults().disabled().build(), CLOCK);
    test.provision(
        "fridge-1",
        "fridge",
        "FR-200",
        "2.1.0",
        "C-1001",
        "premium",
        LocalDate.parse("2026-01-15"));
    test.provision(
        "fridge-2",
        "fridge",
        "FR-200",
        "2.0.3",
        "C-1002",
        "standard",
        LocalDate.parse("2024-01-15"));
  }

  @AfterAll
  static void stop() {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void aRequestOpensATicketWhoseEvidenceKeepsItsDocumentedShape() throws Exception {
    long requestId = SampleRequests.open(test.database(), "fridge-1", "temp-high");
    test.bridge().runOnce();

    long ticketId = test.count("SELECT ticket_id FROM ticket_requests WHERE id = ?", requestId);
    Ticket ticket = test.bridge().tickets().find(ticketId).orElseThrow().ticket();
    assertThat(ticket.status()).isEqualTo(TicketStatus.OPEN);
    assertThat(ticket.category()).isEqualTo(Category.DEVICE_FAULT);
    assertThat(ticket.severity()).isEqualTo(Severity.MAJOR);
    assertThat(ticket.priority())
        .as("major, raised one level for a premium customer")
        .isEqualTo(Priority.P1);
    assertThat(ticket.customerRef()).isEqualTo("C-1001");
    assertThat(ticket.reason()).isEqualTo(SampleRequests.REASON);
    assertThat(ticket.evidence().rule()).isEqualTo(SampleRequests.EVIDENCE.rule());
    assertThat(ticket.evidence().remoteActions())
        .isEqualTo(SampleRequests.EVIDENCE.remoteActions());

    // What the REST API and the helpdesk see: the JSON document of docs/tickets.md.
    assertThat(storedEvidence(ticketId))
        .isEqualTo(
            JSON.readTree(
                """
                {"rule": {"id": "fridge-temp-high", "description": "temperature_c > 8 for 10m",
                          "category": "device_fault"},
                 "alarm": {"id": 41, "severity": "major", "status": "open",
                           "raisedAt": "2026-11-23T09:50:00Z", "lastSeenAt": "2026-11-23T10:00:00Z",
                           "count": 6, "lastValue": 11.8, "peakValue": null},
                 "diagnosis": "device_fault",
                 "telemetryWindow": {"from": "2026-11-23T09:30:00Z", "to": "2026-11-23T10:00:00Z",
                   "metrics": {"temperature_c":
                     {"min": 4.1, "max": 11.8, "avg": 8.9, "count": 30, "last": 11.8}}},
                 "remoteActions": [{"command": "restart_compressor", "commandId": "c-1",
                   "status": "failed", "at": "2026-11-23T09:55:00Z", "output": {"error": "stall"}}],
                 "device": {"type": "fridge", "model": "FR-200", "firmware": "2.1.0",
                   "warranty": {"status": "in_warranty", "soldOn": "2026-01-15",
                                "until": "2028-01-15"}},
                 "alarmId": 41}
                """));
  }

  @Test
  void aRepeatedRequestIsEvidenceOnTheLiveTicketNotASecondTicket() {
    long first = SampleRequests.open(test.database(), "fridge-2", "door-open");
    test.bridge().runOnce();
    long again = SampleRequests.open(test.database(), "fridge-2", "door-open");
    test.bridge().runOnce();

    long ticketId = test.count("SELECT ticket_id FROM ticket_requests WHERE id = ?", first);
    assertThat(test.count("SELECT ticket_id FROM ticket_requests WHERE id = ?", again))
        .isEqualTo(ticketId);
    assertThat(test.count("SELECT count(*) FROM tickets WHERE device_id = 'fridge-2'"))
        .isEqualTo(1);
    TicketDetail detail = test.bridge().tickets().find(ticketId).orElseThrow();
    assertThat(detail.ticket().evidence().device().warranty().status())
        .isEqualTo("out_of_warranty");
    TimelineEntry attached = detail.timeline().get(1);
    assertThat(attached.kind()).isEqualTo("evidence");
    assertThat(attached.note()).isEqualTo(SampleRequests.REASON);
    assertThat(attached.detail().path("requestId").asLong()).isEqualTo(again);
    assertThat(attached.detail().path("severity").asText()).isEqualTo("major");
    assertThat(
            attached.detail().at("/evidence/telemetryWindow/metrics/temperature_c/max").asDouble())
        .isEqualTo(11.8);
  }

  @Test
  void anUnknownDeviceGetsATicketWithUnknownFacts() {
    long requestId = SampleRequests.open(test.database(), "plug-9", "overheat");
    test.bridge().runOnce();

    long ticketId = test.count("SELECT ticket_id FROM ticket_requests WHERE id = ?", requestId);
    Ticket ticket = test.bridge().tickets().find(ticketId).orElseThrow().ticket();
    assertThat(ticket.deviceType()).isEqualTo("unknown");
    assertThat(ticket.priority()).isEqualTo(Priority.P2);
    assertThat(ticket.evidence().device().warranty())
        .isEqualTo(new TicketEvidence.Warranty("unknown", null, null));
  }

  @Test
  void aRequestExistsOnlyIfTheCallersTransactionCommits() throws SQLException {
    try (Connection c = test.database().connect()) {
      c.setAutoCommit(false);
      TicketRequests.open(
          c,
          new TicketRequest(
              SampleRequests.fault("oven-3", "overheat"), "rolled back", SampleRequests.EVIDENCE));
      c.rollback();
    }
    assertThat(test.count("SELECT count(*) FROM ticket_requests WHERE device_id = 'oven-3'"))
        .isZero();
  }

  @Test
  void unknownNamesAreRefusedByTheTypesAndStillByTheDatabase() {
    assertThatThrownBy(() -> Severity.fromWireName("fatal"))
        .isInstanceOf(BridgeException.class)
        .hasMessageContaining("fatal");
    assertThatThrownBy(() -> test.bridge().tickets().list(null, "P9", null, 10))
        .isInstanceOf(BridgeException.class)
        .hasMessageContaining("P9");
    long requestId = SampleRequests.open(test.database(), "lock-4", "jammed");
    test.bridge().runOnce();
    long ticketId = test.count("SELECT ticket_id FROM ticket_requests WHERE id = ?", requestId);
    assertThatThrownBy(
            () ->
                test.count(
                    "UPDATE tickets SET priority = 'P0' WHERE id = ? RETURNING id", ticketId))
        .hasStackTraceContaining("tickets_priority_check");
  }

  private static JsonNode storedEvidence(long ticketId) throws Exception {
    try (Connection c = test.database().connect();
        PreparedStatement select =
            c.prepareStatement("SELECT evidence::text AS evidence FROM tickets WHERE id = ?")) {
      select.setLong(1, ticketId);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return JSON.readTree(rs.getString("evidence"));
      }
    }
  }
}
