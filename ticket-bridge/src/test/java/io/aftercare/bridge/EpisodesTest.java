package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault episodes (docs/tickets.md): the alarms of one fault on a device share one ticket, and a
 * fault that comes back soon after its repair reopens it. Windows: episode 24 h, reopen 7 days.
 */
class EpisodesTest {

  private static final Category LOCK = Category.DEVICE_FAULT;

  private static MutableClock clock;
  private static TestBridge test;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    test = TestBridge.idle(TestBridgeConfig.defaults().disabled().build(), clock);
  }

  @AfterAll
  static void stop() {
    if (test != null) {
      test.close();
    }
  }

  private static long open(String device, long alarm, String rule, Category category) {
    return test.processed(
        SampleRequests.open(test.database(), SampleRequests.fault(device, alarm, rule, category)));
  }

  private static long clear(String device, long alarm, String rule) {
    return test.processed(
        SampleRequests.cleared(test.database(), SampleRequests.fault(device, alarm, rule, LOCK)));
  }

  private static void startRepair(long id) {
    test.move(id, TicketStatus.ACKNOWLEDGED, null, null);
    test.move(id, TicketStatus.DISPATCHED, "ann", "on_site");
    test.move(id, TicketStatus.IN_PROGRESS, null, null);
  }

  @Test
  void twoRulesTrippedByOneFaultOpenOneTicketWithBothAlarmsLinked() {
    long first = open("lock-1", 101, "lock_jammed", LOCK);
    long second = open("lock-1", 102, "repeated_errors", LOCK);

    assertThat(second).isEqualTo(first);
    TicketDetail detail = test.ticket(first);
    assertThat(detail.alarms())
        .extracting(Episodes.LinkedAlarm::alarmId, Episodes.LinkedAlarm::ruleId)
        .containsExactly(tuple(101L, "lock_jammed"), tuple(102L, "repeated_errors"));
    assertThat(detail.timeline())
        .extracting(TimelineEntry::note)
        .contains("alarm 102 (rule repeated_errors) joined this case");
    assertThat(
            test.count(
                "SELECT count(*) FROM ticket_outbox WHERE ticket_id = ?"
                    + " AND type = 'ticket.alarm_linked'",
                first))
        .isEqualTo(1);
  }

  @Test
  void aLiveTicketOfTheRuleIsJoinedEvenWithoutItsAlarmLink() throws Exception {
    long first = open("lock-9", 901, "lock_jammed", LOCK);
    // A ticket whose link is missing (written outside the bridge, e.g. by a bulk import).
    try (var c = test.dataSource().getConnection();
        var delete = c.prepareStatement("DELETE FROM ticket_alarms WHERE ticket_id = ?")) {
      delete.setLong(1, first);
      delete.executeUpdate();
    }

    // Another category, so that only the rule can find the live ticket: before, the request
    // opened a second ticket against the one-live-ticket-per-fault index and was retried forever.
    long second = open("lock-9", 902, "lock_jammed", Category.CONNECTIVITY);

    assertThat(second).isEqualTo(first);
    assertThat(test.ticket(first).alarms())
        .extracting(Episodes.LinkedAlarm::alarmId)
        .containsExactly(902L);
  }

  @Test
  void faultsOfDifferentCategoriesOpenTwoTickets() {
    long lock = open("lock-2", 201, "lock_jammed", LOCK);
    long offline = open("lock-2", 202, "offline", Category.CONNECTIVITY);

    assertThat(offline).isNotEqualTo(lock);
    assertThat(test.ticket(lock).alarms()).hasSize(1);
  }

  @Test
  void anAlarmAfterTheEpisodeWindowOpensANewTicket() {
    long first = open("lock-3", 301, "lock_jammed", LOCK);
    clock.advance(Duration.ofHours(25));
    long later = open("lock-3", 302, "repeated_errors", LOCK);

    assertThat(later).isNotEqualTo(first);
  }

  @Test
  void aFaultBackWithinTheReopenWindowReopensItsTicketAndIsNoFirstTimeFix() {
    // An instant of its own, so that the KPI range below holds this ticket alone.
    clock.advance(Duration.ofDays(30));
    Instant openedAt = clock.instant();
    long ticketId = open("lock-4", 401, "lock_jammed", LOCK);
    startRepair(ticketId);
    clear("lock-4", 401, "lock_jammed");
    assertThat(test.ticket(ticketId).ticket().status()).isEqualTo(TicketStatus.RESOLVED);

    clock.advance(Duration.ofDays(2));
    long again = open("lock-4", 402, "repeated_errors", LOCK);
    assertThat(again).isEqualTo(ticketId);
    TicketDetail reopened = test.ticket(ticketId);
    assertThat(reopened.ticket().status()).isEqualTo(TicketStatus.IN_PROGRESS);
    assertThat(reopened.reopenCount()).isEqualTo(1);
    assertThat(reopened.alarms()).hasSize(2);
    // The helpdesk hears of the reopening as such, with the episode as it now stands.
    assertThat(test.outboxEvents(ticketId, "ticket.reopened"))
        .filteredOn(
            event ->
                event.at("/ticket/status").asText().equals("in_progress")
                    && event.at("/ticket/reopenCount").asInt() == 1
                    && event.at("/ticket/alarms").size() == 2
                    && event.at("/ticket/alarms/1/ruleId").asText().equals("repeated_errors"))
        .hasSize(1);

    clear("lock-4", 402, "repeated_errors");
    assertThat(test.ticket(ticketId).ticket().status()).isEqualTo(TicketStatus.RESOLVED);
    Kpis kpis =
        test.bridge()
            .kpis()
            .report(openedAt, openedAt.plusSeconds(1), null, (c, from, to) -> List.of())
            .overall();
    assertThat(kpis.resolved()).isEqualTo(1);
    assertThat(kpis.shares().get("firstTimeFix").rate()).isEqualTo(0.0);
    assertThat(kpis.shares().get("repeatFault").rate()).isEqualTo(1.0);
  }

  @Test
  void aFaultBackAfterTheReopenWindowOpensANewTicket() {
    long first = open("lock-5", 501, "lock_jammed", LOCK);
    startRepair(first);
    clear("lock-5", 501, "lock_jammed");

    clock.advance(Duration.ofDays(8));
    long later = open("lock-5", 502, "lock_jammed", LOCK);

    assertThat(later).isNotEqualTo(first);
    assertThat(test.ticket(first).ticket().status()).isEqualTo(TicketStatus.RESOLVED);
    assertThat(test.ticket(first).reopenCount()).isZero();
  }

  @Test
  void aFaultBackAfterTheCustomerClosedTheTicketOpensANewOne() {
    long first = open("lock-7", 701, "lock_jammed", LOCK);
    startRepair(first);
    clear("lock-7", 701, "lock_jammed");
    test.closeWithSignOff(first, 4);

    clock.advance(Duration.ofDays(1));
    long later = open("lock-7", 702, "lock_jammed", LOCK);

    assertThat(later).isNotEqualTo(first);
    assertThat(test.ticket(first).ticket().status()).isEqualTo(TicketStatus.CLOSED);
  }

  @Test
  void aTicketIsResolvedOnlyWhenAllItsAlarmsHaveCleared() {
    long ticketId = open("lock-6", 601, "lock_jammed", LOCK);
    open("lock-6", 602, "repeated_errors", LOCK);
    startRepair(ticketId);

    clear("lock-6", 601, "lock_jammed");
    TicketDetail half = test.ticket(ticketId);
    assertThat(half.ticket().status()).isEqualTo(TicketStatus.IN_PROGRESS);
    assertThat(half.timeline()).extracting(TimelineEntry::kind).endsWith("alarm_cleared");
    assertThat(half.alarms()).filteredOn(alarm -> alarm.clearedAt() == null).hasSize(1);

    clear("lock-6", 602, "repeated_errors");
    assertThat(test.ticket(ticketId).ticket().status()).isEqualTo(TicketStatus.RESOLVED);
  }
}
