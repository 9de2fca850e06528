package io.aftercare.bridge;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hours SLA clocks count: all of them (24/7, the default), or one daily window on some weekdays
 * in a time zone, written like {@code MON-FRI 08:00-18:00}, except on the public holidays listed
 * (dates in that zone). Holidays only apply to such a window: a 24/7 calendar counts every hour.
 */
public final class BusinessCalendar {

  private static final Pattern SPEC =
      Pattern.compile("([A-Z]{3})-([A-Z]{3}) (\\d{2}:\\d{2})-(\\d{2}:\\d{2})");

  private final Set<DayOfWeek> days;
  private final LocalTime opens;
  private final LocalTime closes;
  private final ZoneId zone;
  private final Set<LocalDate> holidays;

  private BusinessCalendar(
      Set<DayOfWeek> days,
      LocalTime opens,
      LocalTime closes,
      ZoneId zone,
      Set<LocalDate> holidays) {
    this.days = days;
    this.opens = opens;
    this.closes = closes;
    this.zone = zone;
    this.holidays = holidays;
  }

  public static BusinessCalendar always() {
    return new BusinessCalendar(null, null, null, null, Set.of());
  }

  /**
   * @param workingHours empty for 24/7, or e.g. {@code MON-FRI 08:00-18:00}
   * @param holidays dates ({@code yyyy-MM-dd}) in {@code zone} without working hours; null or empty
   *     for none
   */
  public static BusinessCalendar of(String workingHours, String zone, List<String> holidays) {
    Set<LocalDate> dates = new TreeSet<>();
    for (String holiday : holidays == null ? List.<String>of() : holidays) {
      try {
        dates.add(LocalDate.parse(holiday.trim()));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "holidays must be dates like 2026-12-25, not " + holiday, e);
      }
    }
    if (workingHours == null || workingHours.isBlank()) {
      return always();
    }
    Matcher m = SPEC.matcher(workingHours.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "working hours must look like MON-FRI 08:00-18:00, not " + workingHours);
    }
    DayOfWeek first = day(m.group(1));
    DayOfWeek last = day(m.group(2));
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (DayOfWeek d = first; ; d = d.plus(1)) {
      days.add(d);
      if (d == last) {
        break;
      }
    }
    LocalTime opens = LocalTime.parse(m.group(3));
    LocalTime closes = LocalTime.parse(m.group(4));
    if (!opens.isBefore(closes)) {
      throw new IllegalArgumentException("working hours must open before they close");
    }
    return new BusinessCalendar(days, opens, closes, ZoneId.of(zone), Set.copyOf(dates));
  }

  /** Working time between two instants. */
  public Duration workingTime(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      return Duration.ZERO;
    }
    if (days == null) {
      return Duration.between(from, to);
    }
    Duration total = Duration.ZERO;
    LocalDate last = LocalDate.ofInstant(to, zone);
    for (LocalDate date = LocalDate.ofInstant(from, zone);
        !date.isAfter(last);
        date = date.plusDays(1)) {
      if (!works(date)) {
        continue;
      }
      Instant start = max(from, ZonedDateTime.of(date, opens, zone).toInstant());
      Instant end = min(to, ZonedDateTime.of(date, closes, zone).toInstant());
      if (end.isAfter(start)) {
        total = total.plus(Duration.between(start, end));
      }
    }
    return total;
  }

  /** The instant at which {@code amount} of working time after {@code from} has passed. */
  public Instant plusWorkingTime(Instant from, Duration amount) {
    if (days == null) {
      return from.plus(amount);
    }
    Duration left = amount;
    for (LocalDate date = LocalDate.ofInstant(from, zone); ; date = date.plusDays(1)) {
      if (!works(date)) {
        continue;
      }
      Instant start = max(from, ZonedDateTime.of(date, opens, zone).toInstant());
      Instant end = ZonedDateTime.of(date, closes, zone).toInstant();
      if (!end.isAfter(start)) {
        continue;
      }
      Duration available = Duration.between(start, end);
      if (available.compareTo(left) >= 0) {
        return start.plus(left);
      }
      left = left.minus(available);
    }
  }

  private boolean works(LocalDate date) {
    return days.contains(date.getDayOfWeek()) && !holidays.contains(date);
  }

  private static DayOfWeek day(String abbreviation) {
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().startsWith(abbreviation)) {
        return day;
      }
    }
    throw new IllegalArgumentException("unknown weekday " + abbreviation);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
