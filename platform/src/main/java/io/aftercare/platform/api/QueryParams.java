package io.aftercare.platform.api;

import io.aftercare.domain.Durations;
import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Typed query parameters; a bad value is a 400 naming the parameter. */
final class QueryParams {

  private static final String BUCKET = "a width such as 30s, 1m, 1h or 1d, at most 366d";

  /**
   * The widest bucket: a year. Wider ones summarise nothing a shorter window would not, and huge
   * ones ({@code P999999999D}) overflow the database's interval arithmetic.
   */
  private static final Duration MAX_BUCKET = Duration.ofDays(366);

  private static final String INSTANT =
      "an ISO-8601 time with offset or epoch milliseconds, " + TimeBounds.YEARS;

  private QueryParams() {}

  static String text(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** An ISO-8601 instant with offset, or epoch milliseconds. */
  static Instant instant(RoutingContext ctx, String name, Instant fallback) {
    String value = text(ctx, name);
    if (value == null) {
      return fallback;
    }
    Instant instant;
    try {
      instant =
          value.chars().allMatch(Character::isDigit)
              ? Instant.ofEpochMilli(Long.parseLong(value))
              : OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw invalid(queryParameter(name), INSTANT);
    }
    if (!TimeBounds.contains(instant)) {
      throw invalid(queryParameter(name), INSTANT);
    }
    return instant;
  }

  /** An ISO-8601 date ({@code 2026-11-02}) in the years 1 to 9999; {@code fallback} when absent. */
  static LocalDate date(RoutingContext ctx, String name, LocalDate fallback) {
    String value = text(ctx, name);
    if (value == null) {
      return fallback;
    }
    String expected = "a date such as 2026-11-02, " + TimeBounds.YEARS;
    LocalDate date;
    try {
      date = LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw invalid(queryParameter(name), expected);
    }
    if (!TimeBounds.contains(date)) {
      throw invalid(queryParameter(name), expected);
    }
    return date;
  }

  /** {@code true} or {@code false}; {@code null} when absent. */
  static Boolean bool(RoutingContext ctx, String name) {
    return bool(queryParameter(name), text(ctx, name));
  }

  /** {@code value} (of what {@code label} names, for the message) as a boolean; null stays null. */
  static Boolean bool(String label, String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw invalid(label, "true or false");
    };
  }

  static int integer(RoutingContext ctx, String name, int fallback, int min, int max) {
    return integer(queryParameter(name), text(ctx, name), fallback, min, max);
  }

  /** {@code value} (of what {@code label} names) as an integer; {@code fallback} when null. */
  static int integer(String label, String value, int fallback, int min, int max) {
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw invalid(label, "an integer from " + min + " to " + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(label, "an integer from " + min + " to " + max);
    }
  }

  /**
   * A bucket width in {@link Durations}' notation (30s, 1m, 1h, 1d, PT15M); {@code null} when
   * absent. The API narrows it to whole seconds, as it has always promised, and refuses zero, which
   * {@code date_bin} would reject as a stride.
   */
  static Duration bucket(RoutingContext ctx, String name) {
    String value = text(ctx, name);
    if (value == null) {
      return null;
    }
    Duration width;
    try {
      width = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw invalid(queryParameter(name), BUCKET);
    }
    if (width.isZero() || width.getNano() != 0 || width.compareTo(MAX_BUCKET) > 0) {
      throw invalid(queryParameter(name), BUCKET);
    }
    return width;
  }

  private static String queryParameter(String name) {
    return "query parameter '" + name + "'";
  }

  private static ServiceException invalid(String label, String expected) {
    return new ServiceException(Failure.INVALID_INPUT, label + " must be " + expected);
  }
}
