package io.aftercare.diagnostics.eval;

/**
 * The most recent occurrence times within a sliding window, bounded both by time and by count.
 * Counting rules only ever ask "are there at least N?", so remembering the latest N (the highest
 * level's count) is exact while keeping memory per device constant. The ring starts small and grows
 * to the cap on demand, because most devices never see more than one occurrence.
 */
final class TimeWindow {
  private final long lengthMillis;
  private final int capacity;
  private long[] times = new long[1];
  private int start;
  private int size;

  TimeWindow(long lengthMillis, int capacity) {
    this.lengthMillis = lengthMillis;
    this.capacity = capacity;
  }

  void add(long at) {
    expire(at);
    if (size == capacity) {
      start = (start + 1) % times.length;
      size--;
    } else if (size == times.length) {
      grow();
    }
    times[(start + size) % times.length] = at;
    size++;
  }

  /** Drops occurrences older than the window at {@code now}; returns how many remain. */
  int expire(long now) {
    while (size > 0 && times[start] <= now - lengthMillis) {
      start = (start + 1) % times.length;
      size--;
    }
    return size;
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
    start = 0;
  }

  private void grow() {
    long[] bigger = new long[Math.min(capacity, times.length * 2)];
    for (int i = 0; i < size; i++) {
      bigger[i] = times[(start + i) % times.length];
    }
    times = bigger;
    start = 0;
  }
}
