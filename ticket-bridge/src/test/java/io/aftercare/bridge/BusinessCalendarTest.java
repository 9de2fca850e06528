package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {

  // 2026-11-20 is a Friday.
  private final BusinessCalendar office =
      BusinessCalendar.of("MON-FRI 08:00-18:00", "Europe/Berlin");

  @Test
  void countsOnlyTheWorkingWindowOverAWeekend() {
    // Friday 17:00 to Monday 09:00 Berlin (UTC+1): one hour on Friday, one on Monday.
    Duration worked =
        office.workingTime(
            Instant.parse("2026-11-20T16:00:00Z"), Instant.parse("2026-11-23T08:00:00Z"));
    assertThat(worked).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void addsWorkingTimeAcrossClosedHours() {
    Instant due =
        office.plusWorkingTime(Instant.parse("2026-11-20T16:00:00Z"), Duration.ofHours(4));
    // One hour left on Friday, three more from Monday 08:00 Berlin.
    assertThat(due).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
  }

  @Test
  void allHoursCountByDefault() {
    Instant from = Instant.parse("2026-11-20T16:00:00Z");
    assertThat(BusinessCalendar.of("", "UTC").workingTime(from, from.plus(Duration.ofDays(3))))
        .isEqualTo(Duration.ofDays(3));
  }

  @Test
  void responseClockOverAWeekendUsesTheCalendar() {
    SlaClocks clocks =
        new SlaClocks(
            Map.of("P2", new BridgeConfig.SlaTarget(Duration.ofHours(4), Duration.ofHours(48))),
            0.75,
            office);
    Instant opened = Instant.parse("2026-11-20T16:00:00Z");
    SlaClock response =
        clocks
            .compute(
                Priority.P2,
                List.of(new StatusChange(TicketStatus.OPEN, opened)),
                Instant.parse("2026-11-23T08:00:00Z"))
            .response();
    assertThat(response.elapsed()).isEqualTo(Duration.ofHours(2));
    assertThat(response.standing()).isEqualTo(SlaClock.Standing.ON_TIME);
    // Two working hours left from Monday 09:00 Berlin.
    assertThat(response.dueAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
  }

  @Test
  void refusesMalformedWindows() {
    assertThatThrownBy(() -> BusinessCalendar.of("weekdays 9-5", "UTC"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BusinessCalendar.of("MON-FRI 18:00-08:00", "UTC"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
