package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The KPI arithmetic without a database: working days of an office calendar, days in its zone,
 * remote fixes and complaints without a case in the groups, satisfaction by source. The calendar is
 * Monday to Friday in Europe/Berlin (UTC+1 in November); 2026-11-20 is a Friday.
 */
class KpiCalculatorTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final BusinessCalendar OFFICE =
      BusinessCalendar.of("MON-FRI 08:00-18:00", "Europe/Berlin", List.of());
  private static final WorkingDays WORKING_DAYS = new WorkingDays(OFFICE, BERLIN);
  private static final KpiCalculator CALCULATOR =
      new KpiCalculator(
          new SlaClocks(
              new SlaTargets(
                  new BridgeConfig.Sla(
                      Map.of(
                          "P1", target(2, 12, 24),
                          "P2", target(4, 24, 48),
                          "P3", target(24, 48, 48),
                          "P4", target(24, 48, 96)),
                      Map.of())),
              0.75,
              OFFICE),
          WORKING_DAYS);

  private static BridgeConfig.SlaTarget target(int respond, int arrange, int repair) {
    return new BridgeConfig.SlaTarget(
        Duration.ofHours(respond), Duration.ofHours(arrange), Duration.ofHours(repair));
  }

  @Test
  void threeWorkingDaysSkipTheWeekend() {
    // Friday and Saturday receipts are both due by the end of Wednesday, Berlin time.
    Instant endOfWednesday = Instant.parse("2026-11-25T23:00:00Z");
    assertThat(WORKING_DAYS.deadline(Instant.parse("2026-11-20T09:00:00Z"), 3))
        .isEqualTo(endOfWednesday);
    assertThat(WORKING_DAYS.deadline(Instant.parse("2026-11-21T12:00:00Z"), 3))
        .isEqualTo(endOfWednesday);
    assertThat(WORKING_DAYS.isWorkingDay(LocalDate.parse("2026-11-22"))).isFalse();
  }

  @Test
  void aCaseResolvedOnTheFourthWorkingDayWasNotHandledWithinThree() {
    Instant friday = Instant.parse("2026-11-20T09:00:00Z");
    CaseOutcome.Sample wednesday = resolved(1, friday, Instant.parse("2026-11-25T16:00:00Z"));
    CaseOutcome.Sample thursday = resolved(2, friday, Instant.parse("2026-11-26T08:00:00Z"));

    Kpis kpis =
        CALCULATOR
            .report(
                friday,
                friday.plusSeconds(1),
                null,
                List.of(wednesday, thursday),
                List.of(),
                List.of(),
                Instant.parse("2026-12-01T00:00:00Z"))
            .overall();

    assertThat(kpis.shares().get("handledWithin3WorkingDays")).isEqualTo(new Kpis.Share(1, 2, 0.5));
  }

  @Test
  void theSeriesCountsEachCaseOnItsDayInTheCalendarsZone() {
    // 23:30 on the 2nd and 00:30 on the 3rd in Berlin; both on the 2nd in UTC.
    CaseOutcome.Sample late = open(1, Instant.parse("2026-11-02T22:30:00Z"));
    CaseOutcome.Sample later = open(2, Instant.parse("2026-11-02T23:30:00Z"));
    RemoteFixes.Fix fix =
        new RemoteFixes.Fix(
            Instant.parse("2026-11-03T22:59:00Z"),
            "lock",
            "LK-1",
            "1.0",
            "lock_jammed",
            "device_fault");

    KpiSeries series =
        CALCULATOR.series(
            LocalDate.parse("2026-11-02"),
            LocalDate.parse("2026-11-05"),
            KpiDimension.OWNER,
            List.of(late, later),
            List.of(fix),
            List.of(),
            Instant.parse("2026-11-10T00:00:00Z"));

    assertThat(series.zone()).isEqualTo("Europe/Berlin");
    assertThat(series.days())
        .extracting(day -> day.overall().ticketsOpened())
        .containsExactly(1, 1, 0);
    assertThat(series.days())
        .extracting(day -> day.overall().remoteFixesWithoutTicket())
        .containsExactly(0, 1, 0);
    // Nobody owns a remote fix: it is in the group without a key, after the owners.
    List<KpiReport.Group> groups = series.days().get(1).groups();
    assertThat(groups).extracting(KpiReport.Group::key).containsExactly("olga", null);
    assertThat(groups.get(1).kpis().shares().get("remoteResolution"))
        .isEqualTo(new Kpis.Share(1, 1, 1.0));
  }

  @Test
  void complaintsCountPerCaseAndTheHeadlineSatisfactionIsTheCustomersOwn() {
    Instant monday = Instant.parse("2026-11-02T09:00:00Z");
    // Complained about, rated 4 by the customer and 2 by staff; rated 5 by the customer only;
    // neither complained about nor rated.
    CaseOutcome.Sample complained = open(1, monday, new CaseOutcome.Feedback(true, 4, 2));
    CaseOutcome.Sample praised = open(2, monday, new CaseOutcome.Feedback(false, 5, null));
    CaseOutcome.Sample silent = open(3, monday);
    // A complaint about no case, on Tuesday in Berlin.
    Instant standalone = Instant.parse("2026-11-03T10:00:00Z");

    KpiSeries series =
        CALCULATOR.series(
            LocalDate.parse("2026-11-02"),
            LocalDate.parse("2026-11-04"),
            KpiDimension.OWNER,
            List.of(complained, praised, silent),
            List.of(),
            List.of(standalone),
            Instant.parse("2026-11-10T00:00:00Z"));

    Kpis monday2nd = series.days().get(0).overall();
    assertThat(monday2nd.shares().get("complaint")).isEqualTo(new Kpis.Share(1, 3, 1.0 / 3));
    assertThat(monday2nd.complaintsWithoutCase()).isZero();
    assertThat(monday2nd.satisfaction())
        .isEqualTo(
            new Kpis.Satisfaction(
                2, 4.5, 4.5, new Kpis.Scores(2, 4.5, 4.5), new Kpis.Scores(1, 2.0, 2.0)));
    Kpis tuesday = series.days().get(1).overall();
    assertThat(tuesday.complaintsWithoutCase()).isEqualTo(1);
    assertThat(tuesday.shares().get("complaint")).isEqualTo(new Kpis.Share(0, 0, null));
    // The complaint names no case, so no owner: the group without a key.
    List<KpiReport.Group> groups = series.days().get(1).groups();
    assertThat(groups).extracting(KpiReport.Group::key).containsExactly((String) null);
    assertThat(groups.get(0).kpis().complaintsWithoutCase()).isEqualTo(1);
    assertThat(groups.get(0).kpis().ticketsOpened()).isZero();
  }

  private static CaseOutcome.Sample open(long id, Instant openedAt) {
    return open(id, openedAt, CaseOutcome.Feedback.NONE);
  }

  private static CaseOutcome.Sample open(long id, Instant openedAt, CaseOutcome.Feedback feedback) {
    return new CaseOutcome.Sample(
        ticket(id, TicketStatus.ACKNOWLEDGED, openedAt),
        transitions(
            List.of(
                new StatusChange(TicketStatus.OPEN, openedAt),
                new StatusChange(TicketStatus.ACKNOWLEDGED, openedAt.plusSeconds(60)))),
        0,
        false,
        feedback);
  }

  private static CaseOutcome.Sample resolved(long id, Instant openedAt, Instant resolvedAt) {
    List<StatusChange> changes = new ArrayList<>();
    changes.add(new StatusChange(TicketStatus.OPEN, openedAt));
    changes.add(new StatusChange(TicketStatus.ACKNOWLEDGED, openedAt.plusSeconds(60)));
    changes.add(new StatusChange(TicketStatus.DISPATCHED, openedAt.plusSeconds(120)));
    changes.add(new StatusChange(TicketStatus.IN_PROGRESS, openedAt.plusSeconds(180)));
    changes.add(new StatusChange(TicketStatus.RESOLVED, resolvedAt));
    return new CaseOutcome.Sample(
        ticket(id, TicketStatus.RESOLVED, openedAt),
        transitions(changes),
        0,
        false,
        CaseOutcome.Feedback.NONE);
  }

  /** The timeline of a ticket that only changed status. */
  private static List<TimelineEntry> transitions(List<StatusChange> changes) {
    List<TimelineEntry> timeline = new ArrayList<>();
    for (StatusChange change : changes) {
      timeline.add(
          new TimelineEntry(
              timeline.size() + 1,
              change.at(),
              "olga",
              "transition",
              null,
              change.to(),
              null,
              null));
    }
    return timeline;
  }

  private static Ticket ticket(long id, TicketStatus status, Instant openedAt) {
    return new Ticket(
        id,
        "dev-" + id,
        "rule",
        Category.DEVICE_FAULT,
        Severity.MAJOR,
        Priority.P2,
        status,
        "fridge",
        null,
        "standard",
        1,
        "olga",
        "tina",
        "on_site",
        null,
        "fixture",
        null,
        openedAt,
        openedAt,
        null,
        "detected",
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
