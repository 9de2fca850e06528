package io.aftercare.simulator.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TimestampLogTest {

  @Test
  void keepsEveryTimestampInOrderPastItsInitialCapacity() {
    TimestampLog log = new TimestampLog();
    assertThat(log.isEmpty()).isTrue();

    LongStream.range(0, 5_000).forEach(i -> log.add(1_700_000_000_000L + i));

    assertThat(log.first()).isEqualTo(1_700_000_000_000L);
    assertThat(log.last()).isEqualTo(1_700_000_004_999L);
    List<Long> all = log.toList();
    assertThat(all).hasSize(5_000).isSorted().doesNotHaveDuplicates();
  }
}
