package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aftercare.bridge.testing.TestBridgeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The clocks' pure logic: what starts, stops and pauses each one (docs/tickets.md). */
class SlaClocksTest {

  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private final SlaClocks clocks =
      new SlaClocks(
          new SlaTargets(new BridgeConfig.Sla(TestBridgeConfig.SLA_BY_PRIORITY, Map.of())),
          0.75,
          BusinessCalendar.always());

  /** A ticket's timeline, built in order; minutes count from T0. */
  private static final class Timeline {
    private final List<TimelineEntry> entries = new ArrayList<>();

    Timeline to(TicketStatus status, int minutes) {
      return add("transition", status, minutes, null);
    }

    Timeline dispatched(String channel, int minutes) {
      ObjectNode detail = BridgeJson.MAPPER.createObjectNode().put("channel", channel);
      return add("transition", TicketStatus.DISPATCHED, minutes, detail);
    }

    Timeline entry(String kind, int minutes) {
      return add(kind, null, minutes, null);
    }

    private Timeline add(String kind, TicketStatus to, int minutes, ObjectNode detail) {
      entries.add(
          new TimelineEntry(
              entries.size() + 1,
              T0.plus(Duration.ofMinutes(minutes)),
              "tess",
              kind,
              null,
              to,
              null,
              detail));
      return this;
    }
  }

  private static Timeline opened() {
    return new Timeline().to(TicketStatus.OPEN, 0);
  }

  private SlaClocks.Clocks at(Timeline timeline, Duration sinceT0) {
    return at(timeline, T0, sinceT0);
  }

  private SlaClocks.Clocks at(Timeline timeline, Instant receivedAt, Duration sinceT0) {
    return clocks.compute(
        new SlaClocks.Subject(Priority.P2, "repair", "standard", receivedAt),
        timeline.entries,
        T0.plus(sinceT0));
  }

  @Test
  void responseClockRunsUntilFirstContactAndWarnsAtThreeQuarters() {
    SlaClock early = at(opened(), Duration.ofMinutes(179)).response();
    assertThat(early.state()).isEqualTo(SlaClock.State.RUNNING);
    assertThat(early.standing()).isEqualTo(SlaClock.Standing.ON_TIME);
    assertThat(early.dueAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
    assertThat(at(opened(), Duration.ofMinutes(180)).response().standing())
        .isEqualTo(SlaClock.Standing.WARNING);
    assertThat(at(opened(), Duration.ofMinutes(241)).response().standing())
        .isEqualTo(SlaClock.Standing.BREACHED);

    SlaClock answered =
        at(opened().to(TicketStatus.ACKNOWLEDGED, 90), Duration.ofDays(3)).response();
    assertThat(answered.state()).isEqualTo(SlaClock.State.STOPPED);
    assertThat(answered.elapsed()).isEqualTo(Duration.ofMinutes(90));
    assertThat(answered.standing()).isEqualTo(SlaClock.Standing.ON_TIME);
  }

  @Test
  void responseAndArrangementCountFromReceiptBeforeTheTicketOpened() {
    // The alarm was raised three hours before remote fixes ran out and the ticket opened.
    Instant alarmRaised = T0.minus(Duration.ofHours(3));
    SlaClocks.Clocks sla =
        at(opened().to(TicketStatus.ACKNOWLEDGED, 30), alarmRaised, Duration.ofHours(1));

    assertThat(sla.response().startedAt()).isEqualTo(alarmRaised);
    assertThat(sla.response().elapsed()).isEqualTo(Duration.ofMinutes(210));
    assertThat(sla.response().standing()).isEqualTo(SlaClock.Standing.WARNING);
    assertThat(sla.arrangement().startedAt()).isEqualTo(alarmRaised);
    assertThat(sla.arrangement().elapsed()).isEqualTo(Duration.ofHours(4));
  }

  @Test
  void arrangementStopsAtTheConfirmedAppointment() {
    Timeline timeline = opened().to(TicketStatus.ACKNOWLEDGED, 30).dispatched("on_site", 60);
    assertThat(at(timeline, Duration.ofMinutes(599)).arrangement().state())
        .isEqualTo(SlaClock.State.RUNNING);

    timeline.entry(SlaClocks.APPOINTMENT_SET, 600);
    SlaClock arranged = at(timeline, Duration.ofDays(4)).arrangement();
    assertThat(arranged.state()).isEqualTo(SlaClock.State.STOPPED);
    assertThat(arranged.elapsed()).isEqualTo(Duration.ofMinutes(600));
  }

  @Test
  void arrangementStopsAtARemoteSessionButNotAtAnOnSiteDispatch() {
    SlaClock remote =
        at(opened().to(TicketStatus.ACKNOWLEDGED, 30).dispatched("remote", 45), Duration.ofDays(1))
            .arrangement();
    assertThat(remote.state()).isEqualTo(SlaClock.State.STOPPED);
    assertThat(remote.elapsed()).isEqualTo(Duration.ofMinutes(45));

    SlaClock onSite =
        at(opened().to(TicketStatus.ACKNOWLEDGED, 30).dispatched("on_site", 45), Duration.ofDays(1))
            .arrangement();
    assertThat(onSite.state()).isEqualTo(SlaClock.State.RUNNING);
    assertThat(onSite.standing()).isEqualTo(SlaClock.Standing.WARNING);
  }

  @Test
  void repairClockStartsWithTheWorkNotTheDispatch() {
    Timeline dispatched = opened().to(TicketStatus.ACKNOWLEDGED, 30).dispatched("on_site", 60);
    assertThat(at(dispatched, Duration.ofDays(9)).repair().state())
        .isEqualTo(SlaClock.State.NOT_STARTED);

    SlaClock working =
        at(dispatched.to(TicketStatus.IN_PROGRESS, 120), Duration.ofHours(3)).repair();
    assertThat(working.state()).isEqualTo(SlaClock.State.RUNNING);
    assertThat(working.startedAt()).isEqualTo(T0.plus(Duration.ofMinutes(120)));
    assertThat(working.elapsed()).isEqualTo(Duration.ofMinutes(60));
  }

  @Test
  void repairClockPausesWhileAwaitingParts() {
    Timeline timeline =
        opened()
            .to(TicketStatus.ACKNOWLEDGED, 30)
            .dispatched("on_site", 60)
            .to(TicketStatus.IN_PROGRESS, 120)
            .to(TicketStatus.AWAITING_PARTS, 180);

    SlaClock waiting = at(timeline, Duration.ofDays(10)).repair();
    assertThat(waiting.state()).isEqualTo(SlaClock.State.PAUSED);
    assertThat(waiting.pausedFor()).isEqualTo(SlaClock.PauseReason.AWAITING_PARTS);
    assertThat(waiting.elapsed()).isEqualTo(Duration.ofMinutes(60));
    assertThat(waiting.dueAt()).isNull();

    timeline.to(TicketStatus.IN_PROGRESS, 180 + 24 * 60).to(TicketStatus.RESOLVED, 240 + 24 * 60);
    SlaClock repaired = at(timeline, Duration.ofDays(5)).repair();
    assertThat(repaired.state()).isEqualTo(SlaClock.State.STOPPED);
    assertThat(repaired.elapsed()).isEqualTo(Duration.ofMinutes(120));
    assertThat(repaired.paused()).isEqualTo(Duration.ofHours(24));
    assertThat(repaired.stoppedAt()).isEqualTo(T0.plus(Duration.ofMinutes(240 + 24 * 60)));
  }

  @Test
  void repairClockPausesWhileTheCustomerIsUnavailableCountingOverlapsOnce() {
    Timeline timeline =
        opened()
            .to(TicketStatus.ACKNOWLEDGED, 30)
            .dispatched("on_site", 60)
            .to(TicketStatus.IN_PROGRESS, 120)
            .entry(CustomerAvailability.UNAVAILABLE, 180);

    SlaClock away = at(timeline, Duration.ofMinutes(300)).repair();
    assertThat(away.state()).isEqualTo(SlaClock.State.PAUSED);
    assertThat(away.pausedFor()).isEqualTo(SlaClock.PauseReason.CUSTOMER_UNAVAILABLE);
    assertThat(away.paused()).isEqualTo(Duration.ofMinutes(120));

    // Parts are ordered while the customer is away: the hour of overlap is paused once.
    timeline
        .to(TicketStatus.AWAITING_PARTS, 240)
        .entry(CustomerAvailability.AVAILABLE, 300)
        .to(TicketStatus.IN_PROGRESS, 360);
    SlaClock back = at(timeline, Duration.ofMinutes(420)).repair();
    assertThat(back.state()).isEqualTo(SlaClock.State.RUNNING);
    assertThat(back.pausedFor()).isNull();
    assertThat(back.paused()).isEqualTo(Duration.ofMinutes(180));
    assertThat(back.elapsed()).isEqualTo(Duration.ofMinutes(120));
  }

  @Test
  void aReopenedTicketsRepairClockRunsAgainFromTheReopening() {
    Timeline timeline =
        opened()
            .to(TicketStatus.ACKNOWLEDGED, 30)
            .dispatched("remote", 60)
            .to(TicketStatus.IN_PROGRESS, 60)
            .to(TicketStatus.RESOLVED, 120)
            .to(TicketStatus.IN_PROGRESS, 24 * 60);

    SlaClock reopened = at(timeline, Duration.ofMinutes(24 * 60 + 30)).repair();
    assertThat(reopened.state()).isEqualTo(SlaClock.State.RUNNING);
    assertThat(reopened.elapsed()).isEqualTo(Duration.ofMinutes(90));
  }
}
