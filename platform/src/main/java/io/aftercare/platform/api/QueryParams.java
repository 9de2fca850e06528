package io.aftercare.platform.api;

import io.aftercare.platform.error.Failure;
import io.aftercare.platform.error.ServiceException;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed query parameters; a bad value is a 400 naming the parameter. */
final class QueryParams {

  private static final Pattern BUCKET = Pattern.compile("(\\d+)(s|m|h|d)");

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
    try {
      if (value.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochMilli(Long.parseLong(value));
      }
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw invalid(name, "an ISO-8601 time with offset or epoch milliseconds");
    }
  }

  static int integer(RoutingContext ctx, String name, int fallback, int min, int max) {
    String value = text(ctx, name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw invalid(name, "an integer from " + min + " to " + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(name, "an integer from " + min + " to " + max);
    }
  }

  /** A bucket width such as 30s, 1m, 1h, 1d; {@code null} when absent. */
  static Duration bucket(RoutingContext ctx, String name) {
    String value = text(ctx, name);
    if (value == null) {
      return null;
    }
    Matcher m = BUCKET.matcher(value);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw invalid(name, "a width such as 30s, 1m, 1h or 1d");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private static ServiceException invalid(String name, String expected) {
    return new ServiceException(
        Failure.INVALID_INPUT, "query parameter '" + name + "' must be " + expected);
  }
}
