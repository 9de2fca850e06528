package io.aftercare.simulator.load;

import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * Timestamps in the order they were recorded, kept as primitives. A list of boxed longs cost the
 * generator an object per message sent and per message acknowledged, every one alive until the
 * run's end, so each young collection copied all of those made since the previous one; its pauses
 * stop the generator, which then measures them as the platform's latency.
 */
final class TimestampLog {

  private long[] values = new long[1024];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  boolean isEmpty() {
    return size == 0;
  }

  long first() {
    return values[0];
  }

  long last() {
    return values[size - 1];
  }

  /** A boxed copy, for the checks after the run. */
  List<Long> toList() {
    return LongStream.of(values).limit(size).boxed().toList();
  }
}
