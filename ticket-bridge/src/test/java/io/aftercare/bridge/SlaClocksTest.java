package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlaClocksTest {

  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private final SlaClocks clocks =
      new SlaClocks(
          Map.of("P2", new BridgeConfig.SlaTarget(Duration.ofHours(4), Duration.ofHours(48))),
          0.75,
          BusinessCalendar.always());

  private static StatusChange at(TicketStatus status, int minutes) {
    return new StatusChange(status, T0.plus(Duration.ofMinutes(minutes)));
  }

  @Test
  void responseClockRunsUntilFirstContactAndWarnsAtThreeQuarters() {
    List<StatusChange> opened = List.of(at(TicketStatus.OPEN, 0));
    SlaClock early =
        clocks.compute(Priority.P2, opened, T0.plus(Duration.ofMinutes(179))).response();
    assertThat(early.state()).isEqualTo(SlaClock.State.RUNNING);
    assertThat(early.standing()).isEqualTo(SlaClock.Standing.ON_TIME);
    assertThat(early.dueAt()).isEqualTo(T0.plus(Duration.ofHours(4)));

    assertThat(
            clocks
                .compute(Priority.P2, opened, T0.plus(Duration.ofMinutes(180)))
                .response()
                .standing())
        .isEqualTo(SlaClock.Standing.WARNING);
    assertThat(
            clocks
                .compute(Priority.P2, opened, T0.plus(Duration.ofMinutes(241)))
                .response()
                .standing())
        .isEqualTo(SlaClock.Standing.BREACHED);

    SlaClock answered =
        clocks
            .compute(
                Priority.P2,
                List.of(at(TicketStatus.OPEN, 0), at(TicketStatus.ACKNOWLEDGED, 90)),
                T0.plus(Duration.ofDays(3)))
            .response();
    assertThat(answered.state()).isEqualTo(SlaClock.State.STOPPED);
    assertThat(answered.elapsed()).isEqualTo(Duration.ofMinutes(90));
    assertThat(answered.standing()).isEqualTo(SlaClock.Standing.ON_TIME);
  }

  @Test
  void repairClockStartsAtDispatchAndPausesWhileAwaitingParts() {
    List<StatusChange> changes =
        List.of(
            at(TicketStatus.OPEN, 0),
            at(TicketStatus.ACKNOWLEDGED, 30),
            at(TicketStatus.DISPATCHED, 60),
            at(TicketStatus.IN_PROGRESS, 120),
            at(TicketStatus.AWAITING_PARTS, 180),
            at(TicketStatus.IN_PROGRESS, 180 + 24 * 60),
            at(TicketStatus.RESOLVED, 240 + 24 * 60));
    SlaClock repair = clocks.compute(Priority.P2, changes, T0.plus(Duration.ofDays(5))).repair();
    assertThat(repair.state()).isEqualTo(SlaClock.State.STOPPED);
    assertThat(repair.elapsed()).isEqualTo(Duration.ofMinutes(180));
    assertThat(repair.paused()).isEqualTo(Duration.ofHours(24));
    assertThat(repair.standing()).isEqualTo(SlaClock.Standing.ON_TIME);

    SlaClock waiting =
        clocks.compute(Priority.P2, changes.subList(0, 5), T0.plus(Duration.ofDays(10))).repair();
    assertThat(waiting.state()).isEqualTo(SlaClock.State.PAUSED);
    assertThat(waiting.elapsed()).isEqualTo(Duration.ofMinutes(120));
    assertThat(waiting.dueAt()).isNull();
  }

  @Test
  void repairClockHasNotStartedBeforeDispatch() {
    SlaClock repair =
        clocks
            .compute(Priority.P2, List.of(at(TicketStatus.OPEN, 0)), T0.plus(Duration.ofDays(9)))
            .repair();
    assertThat(repair.state()).isEqualTo(SlaClock.State.NOT_STARTED);
    assertThat(repair.standing()).isEqualTo(SlaClock.Standing.ON_TIME);
  }
}
