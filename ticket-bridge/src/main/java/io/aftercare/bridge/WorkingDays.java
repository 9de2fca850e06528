package io.aftercare.bridge;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Counts working days of the business calendar in its zone: a day is a working day when the
 * calendar has any working time in it (so a day off, and a public holiday once the calendar knows
 * them, is not one). 24/7 makes every day a working day.
 */
final class WorkingDays {

  /** A calendar of any shape has working time within a year, or it has none at all. */
  private static final int SEARCH_LIMIT_DAYS = 366;

  private final BusinessCalendar calendar;
  private final ZoneId zone;

  WorkingDays(BusinessCalendar calendar, ZoneId zone) {
    this.calendar = calendar;
    this.zone = zone;
  }

  ZoneId zone() {
    return zone;
  }

  boolean isWorkingDay(LocalDate day) {
    return calendar.workingTime(start(day), start(day.plusDays(1))).compareTo(Duration.ZERO) > 0;
  }

  /**
   * The end of the {@code days}-th working day after the day of {@code receipt}: a case received on
   * Monday and due "within 3 working days" is due by the end of Thursday, one received on Saturday
   * by the end of Wednesday.
   */
  Instant deadline(Instant receipt, int days) {
    LocalDate day = LocalDate.ofInstant(receipt, zone);
    int counted = 0;
    for (int step = 0; counted < days; step++) {
      if (step > SEARCH_LIMIT_DAYS * days) {
        throw new IllegalStateException("the business calendar has no working days");
      }
      day = day.plusDays(1);
      if (isWorkingDay(day)) {
        counted++;
      }
    }
    return start(day.plusDays(1));
  }

  private Instant start(LocalDate day) {
    return day.atStartOfDay(zone).toInstant();
  }
}
