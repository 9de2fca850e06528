package io.aftercare.platform.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.function.Predicate;

/**
 * The times a client may name: the years 1 to 9999, as ISO-8601 writes them without a sign. Java
 * reads far more ({@code +999999999-12-31}), but the database's timestamps and dates end long
 * before, and arithmetic on such values overflows; so they are input errors (400s), in queries and
 * bodies alike.
 */
final class TimeBounds {

  static final String YEARS = "in the years 1 to 9999";

  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private TimeBounds() {}

  static boolean contains(Instant instant) {
    return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
  }

  static boolean contains(LocalDate date) {
    return date.getYear() >= 1 && date.getYear() <= 9999;
  }

  /** Jackson deserializers of request bodies that refuse times outside the bounds. */
  static SimpleModule module() {
    SimpleModule module = new SimpleModule("time-bounds");
    module.addDeserializer(
        Instant.class, bounded(Instant.class, InstantDeserializer.INSTANT, TimeBounds::contains));
    module.addDeserializer(
        OffsetDateTime.class,
        bounded(
            OffsetDateTime.class,
            InstantDeserializer.OFFSET_DATE_TIME,
            time -> contains(time.toInstant())));
    module.addDeserializer(
        LocalDate.class,
        bounded(LocalDate.class, LocalDateDeserializer.INSTANCE, TimeBounds::contains));
    return module;
  }

  private static <T> JsonDeserializer<T> bounded(
      Class<T> type, JsonDeserializer<T> reader, Predicate<T> within) {
    return new StdDeserializer<T>(type) {
      private static final long serialVersionUID = 1L;

      @Override
      public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        T value = reader.deserialize(parser, context);
        if (value != null && !within.test(value)) {
          throw context.weirdStringException(parser.getText(), type, "not " + YEARS);
        }
        return value;
      }
    };
  }
}
