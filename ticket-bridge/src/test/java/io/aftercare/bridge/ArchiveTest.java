package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The archive job and the outbox retention job (docs/retention.md), driven by a clock the test
 * moves: archive after 90 days, delivered events kept 30 days.
 */
class ArchiveTest {

  private static MutableClock clock;
  private static TestBridge test;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
    test =
        TestBridge.idle(
            TestBridgeConfig.defaults()
                .disabled()
                .archiveAfter(Duration.ofDays(90))
                .keepDeliveredEvents(Duration.ofDays(30))
                .build(),
            clock);
  }

  @AfterAll
  static void stop() {
    if (test != null) {
      test.close();
    }
  }

  private static long closedCase(String device) {
    long id = test.processed(SampleRequests.open(test.database(), device, "temp-high"));
    test.move(id, TicketStatus.ACKNOWLEDGED, null, null);
    test.move(id, TicketStatus.DISPATCHED, "ann", "remote");
    test.move(id, TicketStatus.IN_PROGRESS, null, null);
    test.move(id, TicketStatus.RESOLVED, null, null);
    test.closeWithSignOff(id, 5);
    return id;
  }

  private static long cancelledCase(String device) {
    long id = test.processed(SampleRequests.open(test.database(), device, "temp-high"));
    test.bridge()
        .tickets()
        .transition(
            id,
            new TransitionRequest(TicketStatus.CANCELLED.wireName(), "duplicate", null, null, null),
            "sue",
            InTransaction.NOTHING);
    return id;
  }

  @Test
  void endedCasesAreArchivedOnlyAfterThePeriodAndKeepTheirOutcome() {
    clock.advance(Duration.ofDays(400));
    Instant openedAt = clock.instant();
    long closed = closedCase("fridge-a1");
    long cancelled = cancelledCase("fridge-a2");
    long working = test.processed(SampleRequests.open(test.database(), "fridge-a3", "temp-high"));

    clock.advance(Duration.ofDays(89));
    test.bridge().runOnce();
    assertThat(test.ticket(closed).ticket().status()).isEqualTo(TicketStatus.CLOSED);

    clock.advance(Duration.ofDays(2));
    test.bridge().runOnce();

    Ticket archived = test.ticket(closed).ticket();
    assertThat(archived.status()).isEqualTo(TicketStatus.ARCHIVED);
    assertThat(archived.archivedFrom()).isEqualTo(TicketStatus.CLOSED);
    assertThat(archived.archivedAt()).isEqualTo(clock.instant());
    assertThat(archived.satisfaction()).isEqualTo(5);
    assertThat(test.ticket(cancelled).ticket().archivedFrom()).isEqualTo(TicketStatus.CANCELLED);
    assertThat(test.ticket(working).ticket().status()).isEqualTo(TicketStatus.OPEN);
    assertThat(test.ticket(closed).timeline())
        .last()
        .satisfies(
            entry -> {
              assertThat(entry.kind()).isEqualTo("archived");
              assertThat(entry.actor()).isEqualTo("system:archive");
              assertThat(entry.from()).isEqualTo(TicketStatus.CLOSED);
            });
    // The repair clock still reads as it stopped at the resolution.
    assertThat(test.ticket(closed).sla().repair().state()).isEqualTo(SlaClock.State.STOPPED);
    assertThat(test.outboxEvents(closed, "ticket.archived"))
        .filteredOn(event -> event.at("/ticket/archivedFrom").asText().equals("closed"))
        .hasSize(1);
    assertThat(test.bridge().tickets().list("archived", null, null, 1000))
        .extracting(Ticket::id)
        .contains(closed, cancelled)
        .doesNotContain(working);
    // KPIs count the outcome, not the filing: the closed case is resolved, the cancelled one not.
    Kpis kpis =
        test.bridge()
            .kpis()
            .report(openedAt, openedAt.plusSeconds(1), null, (c, from, to) -> List.of())
            .overall();
    assertThat(kpis.resolved()).isEqualTo(1);
    assertThat(kpis.cancelled()).isEqualTo(1);
  }

  @Test
  void anArchivedCaseRefusesEveryChange() throws SQLException {
    clock.advance(Duration.ofDays(400));
    long id = closedCase("fridge-b1");
    clock.advance(Duration.ofDays(91));
    test.bridge().runOnce();

    assertThatThrownBy(() -> test.move(id, TicketStatus.IN_PROGRESS, null, null))
        .isInstanceOfSatisfying(
            BridgeException.class,
            refusal -> assertThat(refusal.kind()).isEqualTo(BridgeException.Kind.CONFLICT));
    try (Connection c = test.database().connect()) {
      assertRefusedByTrigger(c, "UPDATE tickets SET assignee = 'mallory' WHERE id = ?", id);
      assertRefusedByTrigger(c, "DELETE FROM tickets WHERE id = ?", id);
      assertRefusedByTrigger(
          c,
          "INSERT INTO ticket_timeline (ticket_id, at, actor, kind, note)"
              + " VALUES (?, now(), 'mallory', 'evidence', 'late addition')",
          id);
      assertRefusedByTrigger(
          c,
          "INSERT INTO ticket_alarms (ticket_id, alarm_id, rule_id, joined_at)"
              + " VALUES (?, 9, 'temp-high', now())",
          id);
    }
    assertThat(test.ticket(id).ticket().assignee()).isEqualTo("ann");
  }

  @Test
  void aFaultOfAnArchivedCaseOpensANewTicket() {
    clock.advance(Duration.ofDays(400));
    long id = closedCase("fridge-c1");
    clock.advance(Duration.ofDays(91));
    test.bridge().runOnce();

    long again = test.processed(SampleRequests.open(test.database(), "fridge-c1", "temp-high"));

    assertThat(again).isNotEqualTo(id);
    assertThat(test.ticket(again).ticket().status()).isEqualTo(TicketStatus.OPEN);
  }

  @Test
  void theRetentionJobDeletesOnlyDeliveredEventsPastTheirPeriod() {
    clock.advance(Duration.ofDays(400));
    long old = test.processed(SampleRequests.open(test.database(), "fridge-d1", "temp-high"));
    long recent = test.processed(SampleRequests.open(test.database(), "fridge-d2", "temp-high"));
    long undelivered =
        test.processed(SampleRequests.open(test.database(), "fridge-d3", "temp-high"));
    delivered(old, clock.instant().minus(Duration.ofDays(31)));
    delivered(recent, clock.instant().minus(Duration.ofDays(29)));
    dead(undelivered);
    long recentDelivered = events(recent, "delivered");
    long undeliveredDead = events(undelivered, "dead");
    assertThat(recentDelivered).isPositive();
    assertThat(undeliveredDead).isPositive();

    test.bridge().runOnce();

    // (The run also checks the clocks, whose warnings add pending events: those are not counted.)
    assertThat(events(old, "delivered")).isZero();
    assertThat(events(recent, "delivered")).isEqualTo(recentDelivered);
    assertThat(events(undelivered, "dead")).isEqualTo(undeliveredDead);
    // The ticket itself and its timeline stay: the event was only a copy of the change.
    assertThat(test.ticket(old).timeline()).isNotEmpty();
  }

  private static long events(long ticketId, String status) {
    return test.count(
        "SELECT count(*) FROM ticket_outbox WHERE ticket_id = ? AND status = ?", ticketId, status);
  }

  private static void delivered(long ticketId, Instant at) {
    execute(
        "UPDATE ticket_outbox SET status = 'delivered', delivered_at = ? WHERE ticket_id = ?",
        java.sql.Timestamp.from(at),
        ticketId);
  }

  private static void dead(long ticketId) {
    execute(
        "UPDATE ticket_outbox SET status = 'dead', dead_at = ?, created_at = ? WHERE ticket_id = ?",
        java.sql.Timestamp.from(clock.instant().minus(Duration.ofDays(365))),
        java.sql.Timestamp.from(clock.instant().minus(Duration.ofDays(365))),
        ticketId);
  }

  private static void execute(String sql, Object... parameters) {
    try (Connection c = test.database().connect();
        PreparedStatement statement = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertRefusedByTrigger(Connection c, String sql, long ticketId) {
    assertThatThrownBy(
            () -> {
              try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setLong(1, ticketId);
                statement.executeUpdate();
              }
            })
        .isInstanceOfSatisfying(
            SQLException.class,
            refusal -> {
              assertThat(refusal.getSQLState()).isEqualTo("AC409");
              assertThat(refusal.getMessage()).contains("archived");
            });
  }
}
