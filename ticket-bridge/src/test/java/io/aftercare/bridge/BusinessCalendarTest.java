package io.aftercare.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {

  // 2026-11-20 is a Friday.
  private final BusinessCalendar office =
      BusinessCalendar.of("MON-FRI 08:00-18:00", "Europe/Berlin", List.of());
  // The same office, closed on Monday 2026-11-23 for a public holiday.
  private final BusinessCalendar officeWithHoliday =
      BusinessCalendar.of("MON-FRI 08:00-18:00", "Europe/Berlin", List.of("2026-11-23"));

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
    assertThat(
            BusinessCalendar.of("", "UTC", List.of())
                .workingTime(from, from.plus(Duration.ofDays(3))))
        .isEqualTo(Duration.ofDays(3));
  }

  @Test
  void aHolidayCountsNoWorkingHours() {
    // Friday 17:00 to Tuesday 09:00 Berlin: one hour on Friday, none on the holiday Monday, one
    // on Tuesday.
    Duration worked =
        officeWithHoliday.workingTime(
            Instant.parse("2026-11-20T16:00:00Z"), Instant.parse("2026-11-24T08:00:00Z"));
    assertThat(worked).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void addingWorkingTimeSkipsAHoliday() {
    Instant due =
        officeWithHoliday.plusWorkingTime(
            Instant.parse("2026-11-20T16:00:00Z"), Duration.ofHours(4));
    // One hour left on Friday, three more from Tuesday 08:00 Berlin.
    assertThat(due).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
  }

  @Test
  void holidaysDoNotApplyToA24x7Calendar() {
    Instant from = Instant.parse("2026-11-22T12:00:00Z");
    BusinessCalendar always = BusinessCalendar.of("", "UTC", List.of("2026-11-23"));
    assertThat(always.workingTime(from, from.plus(Duration.ofDays(2))))
        .isEqualTo(Duration.ofDays(2));
  }

  @Test
  void aHolidayIsADateInTheCalendarsZone() {
    // Sunday 23:30 UTC is already Monday, the holiday, in Berlin: nothing counts until Tuesday.
    Duration worked =
        officeWithHoliday.workingTime(
            Instant.parse("2026-11-22T23:30:00Z"), Instant.parse("2026-11-23T22:59:00Z"));
    assertThat(worked).isEqualTo(Duration.ZERO);
  }

  @Test
  void refusesMalformedWindows() {
    assertThatThrownBy(() -> BusinessCalendar.of("weekdays 9-5", "UTC", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BusinessCalendar.of("MON-FRI 18:00-08:00", "UTC", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> BusinessCalendar.of("MON-FRI 08:00-18:00", "UTC", List.of("25.12.2026")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("25.12.2026");
  }
}
