package io.aftercare.platform.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aftercare.domain.DocumentCodec;
import io.aftercare.domain.DocumentLimits;
import io.aftercare.platform.config.AftercareConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Events read in the same microsecond, as a stopped clock makes every read: each event without
 * {@code ts} gets its own receipt stamp, so alike ones are not one row; a device's {@code ts} is
 * kept. (TimestamplessDocumentsTest stores them through a real connection and database.)
 */
class EventReceiptStampsTest {

  private static final Instant NOW = Instant.parse("2026-12-07T01:00:00.000000500Z");

  // Reading touches neither the writer, the command service nor the database.
  private final IngestService ingest =
      new IngestService(
          new DocumentCodec(DocumentLimits.DEFAULT),
          null,
          null,
          null,
          Clock.fixed(NOW, ZoneOffset.UTC),
          new AftercareConfig.DeviceQuota(2000, 4 << 20, Duration.ofSeconds(2), 20_000, 1000),
          new SimpleMeterRegistry());

  private static final UplinkAddress EVENTS =
      UplinkAddress.parse("devices/d1/events").orElseThrow();

  private Instant readTs(String json) {
    Uplink.Event event = (Uplink.Event) ingest.read(EVENTS, json.getBytes(StandardCharsets.UTF_8));
    return event.event().ts();
  }

  @Test
  void alikeEventsWithoutTsInOneMicrosecondGetConsecutiveStamps() {
    String alike = "{\"type\":\"error\",\"code\":\"E_DOOR_OPEN\"}";
    Instant first = readTs(alike);
    Instant second = readTs(alike);
    Instant third = readTs(alike);

    assertThat(first).isEqualTo(Instant.parse("2026-12-07T01:00:00Z"));
    assertThat(second).isEqualTo(first.plusNanos(1_000));
    assertThat(third).isEqualTo(second.plusNanos(1_000));
  }

  @Test
  void anEventsOwnTsIsKept() {
    assertThat(readTs("{\"ts\":\"2026-12-07T00:59:00Z\",\"type\":\"reboot\"}"))
        .isEqualTo(Instant.parse("2026-12-07T00:59:00Z"));
  }
}
