package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.bridge.lease.DutyLeases;
import io.aftercare.bridge.testing.MutableClock;
import io.aftercare.bridge.testing.SampleRequests;
import io.aftercare.bridge.testing.TestBridge;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The KPI outcomes the bridge keeps per ticket (V86, docs/tickets.md): they follow every change of
 * the ticket in the transaction that makes it, turn late as time passes with no event, follow a
 * change of the targets across a restart, follow the ratings and complaints of the case, and give
 * the same figures as outcomes computed afresh. The calendar is 24/7 in UTC; a major fault is a P2
 * case (respond 4 h, arrange 24 h, repair 48 h).
 */
class KeptOutcomesTest {

  private static final Instant MONDAY = Instant.parse("2026-11-23T10:00:00Z");
  private static final RemoteFixes NO_REMOTE_FIXES = (c, from, to) -> List.of();

  private MutableClock clock;
  private TestBridge test;

  @BeforeEach
  void start() {
    clock = new MutableClock(MONDAY);
    test = TestBridge.idle(TestBridgeConfig.defaults().disabled().build(), clock);
  }

  @AfterEach
  void stop() {
    if (test != null) {
      test.close();
    }
  }

  private long open(String device) {
    long id =
        test.processed(
            SampleRequests.open(
                test.database(),
                SampleRequests.fault(device, 7, "compressor_stall", Category.DEVICE_FAULT)));
    assertThat(test.ticket(id).ticket().priority()).isEqualTo(Priority.P2);
    return id;
  }

  private void repair(long id) {
    test.move(id, TicketStatus.ACKNOWLEDGED, null, null);
    test.move(id, TicketStatus.DISPATCHED, "ann", "on_site");
    test.move(id, TicketStatus.IN_PROGRESS, null, null);
    clock.advance(Duration.ofHours(1));
    test.move(id, TicketStatus.RESOLVED, null, null);
  }

  /** The KPIs of the cases opened on Monday, asked now. */
  private Kpis kpis(TicketBridge bridge) {
    return bridge
        .kpis()
        .report(MONDAY, MONDAY.plus(Duration.ofDays(1)), null, NO_REMOTE_FIXES)
        .overall();
  }

  private Kpis kpis() {
    return kpis(test.bridge());
  }

  private long kept(String condition, long id) {
    return test.count(
        "SELECT count(*) FROM ticket_kpi_outcomes WHERE ticket_id = ? AND " + condition, id);
  }

  @Test
  void aTransitionKeepsTheOutcomeInItsOwnTransaction() {
    long id = open("fridge-1");
    assertThat(kpis().resolved()).isZero();

    repair(id);

    // Kept when the transition committed, before anyone asked again.
    assertThat(kept("NOT stale AND resolved AND first_time_fix", id)).isEqualTo(1);
    Kpis kpis = kpis();
    assertThat(kpis.resolved()).isEqualTo(1);
    assertThat(kpis.shares().get("firstTimeFix")).isEqualTo(new Kpis.Share(1, 1, 1.0));
    assertThat(kpis.timeliness().get("repair").timeSeconds().p50()).isEqualTo(3600);
  }

  @Test
  void theReopenOfAResolvedCaseUndoesItsResolution() {
    long id = open("fridge-2");
    repair(id);
    assertThat(kpis().resolved()).isEqualTo(1);

    test.move(id, TicketStatus.IN_PROGRESS, null, null);

    Kpis reopened = kpis();
    assertThat(reopened.resolved()).isZero();
    assertThat(reopened.timeliness().get("repair").timeSeconds().count()).isZero();

    clock.advance(Duration.ofHours(2));
    test.move(id, TicketStatus.RESOLVED, null, null);

    Kpis again = kpis();
    assertThat(again.resolved()).isEqualTo(1);
    // Resolved twice: not fixed the first time; the repair clock counted 1 h + 2 h.
    assertThat(again.shares().get("firstTimeFix")).isEqualTo(new Kpis.Share(0, 1, 0.0));
    assertThat(again.timeliness().get("repair").timeSeconds().p50()).isEqualTo(3 * 3600);
  }

  @Test
  void aRatingOrAComplaintAfterTheFirstReadChangesTheFeedback() {
    long id = open("fridge-10");
    repair(id);
    assertThat(kpis().satisfaction().staff().count()).isZero();

    test.closeWithSignOff(id, 4);

    assertThat(kpis().satisfaction().staff()).isEqualTo(new Kpis.Scores(1, 4.0, 4.0));
    assertThat(kpis().shares().get("complaint")).isEqualTo(new Kpis.Share(0, 1, 0.0));

    test.bridge()
        .complaints()
        .file(
            new ComplaintFiling("phone", null, "two visits for one fault", id),
            "tom",
            InTransaction.NOTHING);

    assertThat(kpis().shares().get("complaint")).isEqualTo(new Kpis.Share(1, 1, 1.0));
  }

  @Test
  void anUnansweredCaseTurnsLateAsItsTargetsPassWithNoEvent() {
    open("fridge-3");
    clock.advance(Duration.ofHours(1));
    Kpis early = kpis();
    assertThat(early.timeliness().get("response").pending()).isEqualTo(1);
    assertThat(early.shares().get("handledWithin3WorkingDays").of()).isZero();

    clock.advance(Duration.ofHours(4));
    Kpis unanswered = kpis();
    assertThat(unanswered.timeliness().get("response").late()).isEqualTo(1);
    assertThat(unanswered.timeliness().get("response").pending()).isZero();
    assertThat(unanswered.timeliness().get("arrangement").pending()).isEqualTo(1);

    // Past the end of Thursday, the third working day after Monday.
    clock.advance(Duration.ofDays(4));
    Kpis unhandled = kpis();
    assertThat(unhandled.timeliness().get("arrangement").late()).isEqualTo(1);
    assertThat(unhandled.shares().get("handledWithin3WorkingDays"))
        .isEqualTo(new Kpis.Share(0, 1, 0.0));
  }

  @Test
  void aRestartUnderOtherTargetsRecomputesTheKeptOutcomes() {
    long id = open("fridge-4");
    clock.advance(Duration.ofHours(3));
    test.move(id, TicketStatus.ACKNOWLEDGED, null, null);
    assertThat(kpis().timeliness().get("response").onTime()).isEqualTo(1);
    test.bridge().close();

    Map<String, BridgeConfig.SlaTarget> stricter = new HashMap<>();
    TestBridgeConfig.SLA_BY_PRIORITY.forEach(
        (priority, target) ->
            stricter.put(
                priority,
                new BridgeConfig.SlaTarget(
                    Duration.ofHours(2), target.arrange(), target.repair())));
    try (TicketBridge restarted =
        new TicketBridge(
            TestBridgeConfig.defaults().disabled().slaTargets(stricter).build(),
            test.dataSource(),
            clock,
            TestBridge.SEALED,
            new DutyLeases(test.dataSource(), "restarted-bridge", Duration.ofSeconds(15)))) {
      restarted.start();
      // Answered after 3 h: late against a 2 h target.
      assertThat(kpis(restarted).timeliness().get("response").late()).isEqualTo(1);
    }

    try (TicketBridge same =
        new TicketBridge(
            TestBridgeConfig.defaults().disabled().build(),
            test.dataSource(),
            clock,
            TestBridge.SEALED,
            new DutyLeases(test.dataSource(), "restarted-bridge", Duration.ofSeconds(15)))) {
      same.start();
      assertThat(kpis(same).timeliness().get("response").onTime()).isEqualTo(1);
    }
  }

  @Test
  void theTicketsOfADatabaseBeforeKeptOutcomesAreComputedAtStart() throws SQLException {
    long id = open("fridge-5");
    repair(id);
    Kpis before = kpis();
    try (Connection c = test.database().connect();
        Statement statement = c.createStatement()) {
      // As V86 leaves the tickets it finds: a row not computed yet, not stale.
      statement.executeUpdate(
          "UPDATE ticket_kpi_outcomes SET stale = false, basis = NULL, valid_from = NULL,"
              + " valid_until = NULL, resolved = NULL, handled = NULL");
    }

    test.bridge().start();

    assertThat(kept("valid_from IS NOT NULL AND resolved", id)).isEqualTo(1);
    assertThat(kpis()).isEqualTo(before);
  }

  @Test
  void aCaseWhoseRowAnotherTransactionHoldsIsComputedApart() throws SQLException {
    long id = open("fridge-11");
    repair(id);
    Kpis before = kpis();
    try (Connection c = test.database().connect();
        Statement statement = c.createStatement()) {
      statement.executeUpdate("UPDATE ticket_kpi_outcomes SET basis = basis + 1");
    }

    try (Connection holder = test.database().connect();
        Statement statement = holder.createStatement()) {
      holder.setAutoCommit(false);
      statement.executeQuery(
          "SELECT 1 FROM ticket_kpi_outcomes WHERE ticket_id = " + id + " FOR UPDATE");
      // Not waited for, not kept: computed from the ticket as it is.
      assertThat(kpis()).isEqualTo(before);
      holder.rollback();
    }
    assertThat(kpis()).isEqualTo(before);
  }

  @Test
  void keptOutcomesGiveTheSameSeriesAsOutcomesComputedAfresh() throws SQLException {
    long resolved = open("fridge-6");
    repair(resolved);
    long waiting = open("fridge-7");
    test.move(waiting, TicketStatus.ACKNOWLEDGED, null, null);
    long cancelled = open("fridge-8");
    test.bridge()
        .tickets()
        .transition(
            cancelled,
            TransitionRequest.to(TicketStatus.CANCELLED, "the customer fixed it"),
            "tom",
            InTransaction.NOTHING);
    open("fridge-9");
    LocalDate monday = LocalDate.parse("2026-11-23");
    KpiSeries first = series(monday);

    clock.advance(Duration.ofHours(30));
    KpiSeries kept = series(monday);
    try (Connection c = test.database().connect();
        Statement statement = c.createStatement()) {
      // Computed under another configuration, as far as the bridge can tell: all recomputed.
      statement.executeUpdate("UPDATE ticket_kpi_outcomes SET basis = basis + 1");
    }
    KpiSeries afresh = series(monday);

    assertThat(kept).isEqualTo(afresh);
    assertThat(kept).isNotEqualTo(first);
  }

  private KpiSeries series(LocalDate day) {
    return test.bridge().kpis().series(day, day.plusDays(2), "assignee", NO_REMOTE_FIXES);
  }
}
