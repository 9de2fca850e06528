package io.aftercare.platform.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReceiptStampsTest {

  private static final Instant T0 = Instant.parse("2026-12-07T00:00:00.123456789Z");

  private final ReceiptStamps stamps = new ReceiptStamps();

  @Test
  void stampsStartAtTheReceiptMicrosecond() {
    assertThat(stamps.reserve("d1", 3, T0)).isEqualTo(Instant.parse("2026-12-07T00:00:00.123456Z"));
  }

  @Test
  void messagesReceivedInTheSameMicrosecondGetDistinctRanges() {
    Instant first = stamps.reserve("d1", 1000, T0);
    Instant second = stamps.reserve("d1", 1, T0);
    assertThat(second).isEqualTo(first.plusNanos(1000 * 1_000L));
  }

  @Test
  void aClockStepBackDoesNotReuseAStamp() {
    Instant first = stamps.reserve("d1", 1, T0);
    assertThat(stamps.reserve("d1", 1, T0.minusMillis(1))).isEqualTo(first.plusNanos(1_000));
  }

  @Test
  void devicesHaveTheirOwnStamps() {
    assertThat(stamps.reserve("d1", 5, T0)).isEqualTo(stamps.reserve("d2", 5, T0));
  }

  @Test
  void aLaterReceiptStartsAtItsOwnTime() {
    stamps.reserve("d1", 5, T0);
    Instant later = T0.plusSeconds(1);
    assertThat(stamps.reserve("d1", 1, later))
        .isEqualTo(Instant.parse("2026-12-07T00:00:01.123456Z"));
  }
}
